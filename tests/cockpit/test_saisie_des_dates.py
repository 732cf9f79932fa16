"""Every date is typed in the browser's own date field (« <input type="date"> » on a page in
French), never as free text someone has to guess the format of (issue 22, item 19): in the
forms drawn from the commands' models and in the pages written by hand."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from services.commandes import RESOLUTIONS, modele_api
from web.cockpit.formulaires import Champ, Reglages, construire
from workflows.transitions import TRANSITIONS

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"
# Field names that hold a date: « le », « accueilli_le », « date_fin », « du », « au »…
NOM_DE_DATE = re.compile(r"(^|_)(le|date|du|au|jusqu_au|debut|fin|naissance|echeance)($|_)")
SAISIE = re.compile(r"<input\b[^>]*>", re.S)


def _champs(champs: list[Champ]) -> Iterator[Champ]:
    for c in champs:
        yield c
        yield from _champs(c.enfants)
        for ligne in c.lignes:
            yield from _champs(ligne)


def test_les_formulaires_des_commandes_saisissent_les_dates_en_champ_date() -> None:
    dates, en_texte = 0, []
    for nom in sorted(set(TRANSITIONS) | set(RESOLUTIONS)):
        for c in _champs(construire(modele_api(nom), {}, {}, Reglages())):
            if NOM_DE_DATE.search(c.nom):
                dates += 1
                if c.genre not in ("date", "datetime", "cache", "choix"):
                    en_texte.append(f"{nom} : {c.chemin} ({c.genre})")
    assert dates > 20  # the search sees the commands' dates
    assert en_texte == []


def test_les_pages_ecrites_a_la_main_saisissent_les_dates_en_champ_date() -> None:
    en_texte = []
    for gabarit in TEMPLATES.rglob("*.html"):
        for saisie in SAISIE.findall(gabarit.read_text(encoding="utf-8")):
            nom = re.search(r'\bname="([^"{]+)"', saisie)
            if nom is None or not NOM_DE_DATE.search(nom.group(1)):
                continue
            if not re.search(r'type="(date|datetime-local|month|hidden)"', saisie):
                en_texte.append(f"{gabarit.relative_to(TEMPLATES)} : {nom.group(1)}")
    assert en_texte == []


def test_les_pages_sont_en_francais() -> None:
    """The date field follows the page's language where the browser lets it."""
    assert '<html lang="fr"' in (TEMPLATES / "base.html").read_text(encoding="utf-8")
