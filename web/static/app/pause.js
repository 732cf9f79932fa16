// Parts of the cockpit reload every 10 or 20 s. A person reading slowly, or with a screen
// reader, may stop that (RGAA 13.1, WCAG 2.2.2): the button pauses every automatic reload
// of the page and resumes it, remembered for the tab; resuming refreshes every part once.
(function () {
  "use strict";
  var CLE = "parcours-pause-maj";
  var bouton = null;

  function enPause() {
    return window.sessionStorage.getItem(CLE) === "1";
  }

  function afficher() {
    var pause = enPause();
    bouton.setAttribute("aria-pressed", pause ? "true" : "false");
    bouton.textContent = pause
      ? "Reprendre les mises à jour automatiques"
      : "Suspendre les mises à jour automatiques";
    bouton.classList.toggle("fr-icon-pause-circle-line", !pause);
    bouton.classList.toggle("fr-icon-play-circle-line", pause);
  }

  // A reload nobody asked for: a part polling (« every … ») fires without an event. What
  // follows the person's own action (« parcours-modifie » after a command) still goes.
  // The header's notification count renews itself by a chain of delayed loads
  // (data-maj-auto): paused the same way, it picks up again with the rest.
  function automatique(detail) {
    var declencheur = detail.elt && detail.elt.getAttribute("hx-trigger");
    if (detail.elt && detail.elt.hasAttribute("data-maj-auto")) return true;
    return !!declencheur && declencheur.indexOf("every ") !== -1 && !detail.triggeringEvent;
  }

  document.addEventListener("htmx:confirm", function (event) {
    if (enPause() && automatique(event.detail)) event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    bouton = document.getElementById("pause-maj");
    if (!bouton || !document.querySelector('[hx-trigger*="every "]')) return;
    bouton.parentElement.hidden = false;
    afficher();
    bouton.addEventListener("click", function () {
      var reprise = enPause();
      window.sessionStorage.setItem(CLE, reprise ? "0" : "1");
      afficher();
      if (reprise) htmx.trigger(document.body, "parcours-modifie");
    });
  });
})();
