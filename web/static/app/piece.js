// The document form sends the file as base64 in an ordinary form field: the platform reads
// only JSON and url-encoded bodies (web/securite/saisies.py), never multipart. Delegated:
// the form is replaced by htmx after each upload.
document.addEventListener("change", (evenement) => {
  const fichier = evenement.target;
  if (!fichier.matches || !fichier.matches("[data-piece-fichier]")) return;
  const form = fichier.form;
  const choisi = fichier.files[0];
  const envoyer = form.querySelector("[type=submit]");
  form.querySelector("[name=contenu]").value = "";
  form.querySelector("[name=nom_fichier]").value = "";
  if (!choisi) return;
  envoyer.disabled = true;  // until the file is read
  const lecteur = new FileReader();
  lecteur.onload = () => {
    form.querySelector("[name=contenu]").value = String(lecteur.result).split(",")[1] || "";
    form.querySelector("[name=nom_fichier]").value = choisi.name;
    envoyer.disabled = false;
  };
  lecteur.readAsDataURL(choisi);
});
