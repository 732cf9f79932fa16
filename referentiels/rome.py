"""The ROME (Répertoire opérationnel des métiers et des emplois, France Travail, version 4):
every métier with its code, extracted from a maintained source by ``scripts/extraire_rome.py``
into ``rome_metiers.json``, never typed by hand. Code → label.

Loaded once at import (``referentiels`` passes through the workflow sandbox) so that workflows
validate codes without any I/O of their own.
"""

from __future__ import annotations

import difflib
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

FICHIER = Path(__file__).resolve().parent / "rome_metiers.json"


@dataclass(frozen=True)
class Metier:
    code: str
    libelle: str
    divisions_naf: tuple[str, ...]


def _charger() -> tuple[dict[str, Metier], dict[str, str]]:
    donnees = json.loads(FICHIER.read_text(encoding="utf-8"))
    metiers = {
        m["code"]: Metier(m["code"], m["libelle"], tuple(m["divisions_naf"]))
        for m in donnees["metiers"]
    }
    return metiers, dict(donnees["divisions_naf"])


REFERENTIEL, DIVISIONS_NAF = _charger()
METIERS: dict[str, str] = {code: m.libelle for code, m in REFERENTIEL.items()}
SOURCE: str = json.loads(FICHIER.read_text(encoding="utf-8"))["source"]


def libelle_metier(code: str) -> str:
    return METIERS.get(code, code)


def mots(texte: str) -> list[str]:
    """Words without case nor accents: « Aide-soignante » and « aide soignante » are equal."""
    sans_accents = unicodedata.normalize("NFKD", texte.casefold())
    lettres = "".join(
        c if c.isalnum() else " " for c in sans_accents if not unicodedata.combining(c)
    )
    return lettres.split()


_MOTS = {code: mots(libelle) for code, libelle in METIERS.items()}
# Below this similarity a word is another word, not a typo (« plombié » ~ « plombier » 0.86,
# « maçon » ~ « macon » 1.0, « boucher » ~ « boulanger » 0.63).
SIMILARITE = 0.8


def _proximite(voulu: str, mot: str) -> float:
    """1 for the word or its beginning (« soign » finds « soignant »), else its similarity."""
    if mot.startswith(voulu):
        return 1.0
    if len(voulu) < 4:  # too short to tell a typo from another word
        return 0.0
    ratio = difflib.SequenceMatcher(None, voulu, mot[: len(voulu) + 2]).ratio()
    return ratio if ratio >= SIMILARITE else 0.0


def rechercher(texte: str, limite: int = 20) -> list[Metier]:
    """The métiers whose label holds every word typed (accents and typos tolerated), the
    closest first; a ROME code typed as such finds its métier."""
    code = texte.strip().upper()
    if code in REFERENTIEL:
        return [REFERENTIEL[code]]
    voulus = mots(texte)
    if not voulus:
        return []
    trouves: list[tuple[float, str]] = []
    for code, libelle in _MOTS.items():
        score = 0.0
        for voulu in voulus:
            meilleur = max((_proximite(voulu, mot) for mot in libelle), default=0.0)
            if meilleur == 0.0:
                break
            score += meilleur
        else:
            trouves.append((score, code))
    trouves.sort(key=lambda t: (-t[0], len(METIERS[t[1]]), t[1]))
    return [REFERENTIEL[code] for _, code in trouves[:limite]]
