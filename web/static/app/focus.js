// Focus goes back to the button that opened a command form (issue 22, item 6; RGAA 12.13).
// Closing a form, or saving it, empties the form's place (#formulaire) or the coordination
// modal: the focus would otherwise fall on the page body and a keyboard or screen reader
// user would start again from the top. The button is remembered by a selector, not as an
// element, because the part holding it may have been refreshed in between (htmx swaps).
(function () {
  "use strict";
  var ouvreur = null; // CSS selector of the button that opened the form now shown

  function selecteur(bouton) {
    if (bouton.id) return "#" + CSS.escape(bouton.id);
    if (bouton.dataset.commande) return '[data-commande="' + CSS.escape(bouton.dataset.commande) + '"]';
    return null;
  }

  function rendre() {
    if (!ouvreur) return;
    var cible = document.querySelector(ouvreur);
    if (!cible) {
      // The command is no longer offered (done, or refused now): its group's heading then.
      cible = document.getElementById("commandes-titre");
      if (cible && !cible.hasAttribute("tabindex")) cible.setAttribute("tabindex", "-1");
    }
    ouvreur = null;
    if (cible) cible.focus();
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail.elt;
    var cible = event.detail.target;
    if (!(source instanceof HTMLButtonElement) || !cible) return;
    if (cible.id === "formulaire" || cible.id === "modale-action-contenu") {
      if (source.closest("#formulaire, #modale-action-contenu")) return; // the form's own buttons
      ouvreur = selecteur(source);
    }
  });

  // Inline form closed (« Annuler » empties its place): back to the button. A saved form is
  // replaced by its confirmation, which takes the focus itself. Only the settling of the form's
  // own place counts: another part settling while the form is on its way (the header's count,
  // asked when the page loaded, on a slow server) finds the place still empty too, and would
  // use up the button before the form even arrived.
  document.addEventListener("htmx:afterSettle", function (event) {
    var lieu = event.detail.target;
    if (ouvreur && lieu && lieu.id === "formulaire" && lieu.children.length === 0) rendre();
  });

  // A part refreshed in the background (the parcours changed: a partner answered, a colleague
  // wrote) replaces the element that has the focus: the same element, found again in the new
  // part, takes it back, or a keyboard user would be thrown to the top of the page.
  var garde = null; // CSS selector of the focused element inside the part being swapped
  document.addEventListener("htmx:beforeSwap", function (event) {
    var actif = document.activeElement;
    var cible = event.detail.target;
    if (actif && actif !== document.body && cible && cible.contains(actif)) {
      garde = selecteur(actif);
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!garde) return;
    var actif = document.activeElement;
    var retrouve = document.querySelector(garde);
    garde = null;
    if ((!actif || actif === document.body) && retrouve) retrouve.focus();
  });

  // Modal (DSFR): its own focus return aims at the element that opened it, which a refresh
  // may have replaced; the same button, found again, takes the focus.
  document.addEventListener("dsfr.conceal", function (event) {
    if (event.target instanceof Element && event.target.id === "modale-action") {
      window.setTimeout(rendre, 0);
    }
  });
})();
