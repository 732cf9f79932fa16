// "Imprimer" buttons (the CSP forbids inline handlers): any [data-imprimer] opens the print dialog.
document.addEventListener("click", function (event) {
  if (event.target instanceof Element && event.target.closest("[data-imprimer]")) {
    window.print();
  }
});
