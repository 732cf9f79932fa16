"""Companies of the directory whose name looks like the one France Travail gave for an offer
without SIRET (issue 24): proposed on the offer's page to the chargé de relation entreprise,
who confirms. Never attached by itself: two establishments share a name, and a wrong company
would declare a hiring with the wrong employer.

Names are compared word by word once normalised (case, accents, punctuation, legal forms such
as SAS or SARL and small words left out), each word tolerating a typo (``difflib``, as the ROME
search does)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher

from store.employeurs import EntrepriseRow

# Legal forms and what stands for « société » or « établissements »: not the name.
FORMES_JURIDIQUES = frozenset(
    {
        "sa", "sas", "sasu", "sarl", "sarlu", "eurl", "ei", "eirl", "snc", "sci", "scop", "scic",
        "sca", "scs", "selarl", "selas", "gie", "gaec", "earl", "sem", "spl", "societe", "ste",
        "ets", "etablissements",
    }
)  # fmt: skip
MOTS_VIDES = frozenset({"de", "du", "des", "la", "le", "les", "l", "d", "et", "a", "au", "aux"})
SEUIL = 0.85  # mean likeness of the words; « Boulangerie Martin » / « … Dupont » is 0.68
AU_PLUS = 5


def mots_du_nom(nom: str) -> tuple[str, ...]:
    """« Boulangerie MARTIN S.A.R.L. » and « boulangerie Martin (SAS) » give the same words."""
    texte = unicodedata.normalize("NFKD", nom.casefold().replace(".", ""))
    texte = "".join(c if c.isalnum() else " " for c in texte if not unicodedata.combining(c))
    return tuple(m for m in texte.split() if m not in FORMES_JURIDIQUES | MOTS_VIDES)


def ressemblance(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """How much each word of the shorter name looks like one of the other's (0 to 1); a name
    with more than twice the words of the other is not the same company."""
    if not a or not b:
        return 0.0
    court, long = sorted((a, b), key=len)
    if 2 * len(court) < len(long):
        return 0.0
    meilleurs = [max(SequenceMatcher(None, m, n).ratio() for n in long) for m in court]
    return sum(meilleurs) / len(meilleurs)


def proches(nom: str, entreprises: Iterable[EntrepriseRow]) -> list[EntrepriseRow]:
    """The companies whose name looks like ``nom``, the likest first (then by name)."""
    cherche = mots_du_nom(nom)
    notes = [(ressemblance(cherche, mots_du_nom(e.nom)), e) for e in entreprises]
    gardees = sorted((p for p in notes if p[0] >= SEUIL), key=lambda p: (-p[0], p[1].nom))
    return [e for _, e in gardees[:AU_PLUS]]
