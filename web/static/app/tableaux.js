// A table wider than its place scrolls sideways (DSFR ≥ 1.12 markup: .fr-table__container):
// such a container is made reachable by keyboard and named after its caption (RGAA 7.3,
// axe « scrollable-region-focusable »); a table that fits adds no tab stop.
(function () {
  "use strict";
  function marquer() {
    document.querySelectorAll(".fr-table__container").forEach(function (boite) {
      var deborde = boite.scrollWidth > boite.clientWidth + 1;
      var legende = boite.querySelector("caption");
      if (deborde) {
        boite.setAttribute("tabindex", "0");
        boite.setAttribute("role", "region");
        boite.setAttribute("aria-label", (legende ? legende.textContent.trim() : "Tableau") + " (défilement horizontal)");
      } else if (boite.getAttribute("tabindex") === "0") {
        boite.removeAttribute("tabindex");
        boite.removeAttribute("role");
        boite.removeAttribute("aria-label");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", marquer);
  document.addEventListener("htmx:afterSettle", marquer);
  window.addEventListener("resize", marquer);
  document.addEventListener("toggle", marquer, true); // a <details> opened shows its table
})();
