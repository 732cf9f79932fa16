// The import form sends the file as base64 in an ordinary form field: the platform reads
// only JSON and url-encoded bodies (web/securite/saisies.py), never multipart.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("form-import");
  if (!form) return;
  const fichier = form.querySelector("#fichier");
  fichier.addEventListener("change", () => {
    const choisi = fichier.files[0];
    if (!choisi) return;
    const lecteur = new FileReader();
    lecteur.onload = () => {
      form.querySelector("[name=contenu]").value = String(lecteur.result).split(",")[1] || "";
      form.querySelector("[name=nom_fichier]").value = choisi.name;
    };
    lecteur.readAsDataURL(choisi);
  });
});
