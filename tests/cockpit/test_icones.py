"""Every DSFR icon class a page uses (« fr-icon-… ») is drawn by a style sheet the pages load:
a class the served CSS lacks shows nothing, silently (« fr-icon-key-line » is not among the
DSFR 1.15 icons: the « Mes jetons d'API » link had none, issue 22). Also checks that the
picture each such rule points at is served."""

from __future__ import annotations

import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "web"
STATIQUE = WEB / "static"
FEUILLE = re.compile(r'<link rel="stylesheet" href="/static/([^"]+)"')
ICONE = re.compile(r"\bfr-icon-[a-z0-9]+(?:-[a-z0-9]+)*")
# A class followed by the end of a selector (« .fr-icon-x:before », « .fr-icon-x{ »…).
REGLE = re.compile(r"\.(fr-icon-[a-z0-9-]+)(?=[:,{\s.\[>])")
MASQUE = re.compile(r"\.(fr-icon-[a-z0-9-]+):before\{[^}]*?mask-image:url\(([^)]+)\)")


def _employees() -> dict[str, set[str]]:
    """Icon classes in the templates, the Python under web/ and the app's scripts, by file."""
    fichiers = [
        *WEB.rglob("*.html"),
        *(p for p in WEB.rglob("*.py")),
        *(STATIQUE / "app").glob("*.js"),
    ]
    trouvees: dict[str, set[str]] = {}
    for f in fichiers:
        for classe in ICONE.findall(f.read_text(encoding="utf-8")):
            trouvees.setdefault(classe, set()).add(str(f.relative_to(WEB)))
    return trouvees


def _feuilles() -> list[Path]:
    base = (WEB / "templates" / "base.html").read_text(encoding="utf-8")
    return [STATIQUE / chemin for chemin in FEUILLE.findall(base)]


def test_chaque_icone_employee_est_dans_la_css_servie() -> None:
    definies: set[str] = set()
    for feuille in _feuilles():
        definies |= set(REGLE.findall(feuille.read_text(encoding="utf-8")))
    employees = _employees()
    assert "fr-icon-download-line" in employees  # the search sees the templates
    manquantes = {c: sorted(ou) for c, ou in employees.items() if c not in definies}
    assert not manquantes, f"icônes absentes des feuilles de style servies : {manquantes}"


def test_l_image_de_chaque_icone_employee_est_servie() -> None:
    images: dict[str, Path] = {}
    for feuille in _feuilles():
        for classe, url in MASQUE.findall(feuille.read_text(encoding="utf-8")):
            images.setdefault(classe, (feuille.parent / url.strip("\"'")).resolve())
    assert "fr-icon-download-line" in images
    absentes = [c for c in _employees() if c in images and not images[c].is_file()]
    assert not absentes, absentes
