// An answer said beside a list that refreshes itself stays where the person looks (issue 22,
// item 5). « Tout relancer » answers in the incidents' live region; then the lists refresh
// (the retried incidents leave, the sections above are redrawn) and the page slid under the
// reader: the answer ended out of view. Until the person scrolls, types or clicks again, each
// settled swap brings a fresh answer back into view, by the shortest scroll.
(function () {
  "use strict";
  var aVoir = null; // the live region holding an answer not yet looked away from

  function montrer() {
    if (!aVoir || !document.contains(aVoir) || !aVoir.textContent.trim()) return;
    var r = aVoir.getBoundingClientRect();
    if (r.top < 0 || r.bottom > window.innerHeight) aVoir.scrollIntoView({block: "nearest"});
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var cible = event.detail.target;
    if (cible && cible.classList && cible.classList.contains("annonce-locale")) aVoir = cible;
  });
  document.addEventListener("htmx:afterSettle", montrer);
  ["wheel", "touchmove", "keydown", "pointerdown"].forEach(function (type) {
    window.addEventListener(type, function () { aVoir = null; }, {passive: true, capture: true});
  });
})();
