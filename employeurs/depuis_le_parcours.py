"""What the parcours already says about the person's projects, so that the référent fills the
fiche of the pool without typing it again (issue 24, item 4): the métier of an immersion
(PMSMP) whose bilan says it took place, the project of the latest diagnostic. The objectives
of the contract of engagement (CER) are free text without a ROME code: matching their words
to the ROME gave wrong métiers (« Passer le permis B » → animateur de stages permis à points),
so they suggest nothing. Suggestions only: the référent checks them and saves the fiche with
the person, nothing is written here.

Pure functions on the parcours' state as the read model holds it (``ParcoursRow.etat``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from referentiels.rome import METIERS, libelle_metier

PMSMP_FAITE = frozenset({"realisee", "partielle"})  # ResultatPmsmp: it took place


@dataclass(frozen=True)
class Suggestion:
    code_rome: str
    metier: str
    source: str  # in words, for the référent: where the parcours says it


def _dict(valeur: Any) -> dict[str, Any]:
    return valeur if isinstance(valeur, dict) else {}


def _liste(valeur: Any) -> list[Any]:
    return valeur if isinstance(valeur, list) else []


def _des_immersions(etat: dict[str, Any]) -> list[tuple[str, str]]:
    trouves = []
    for pmsmp in reversed(_liste(etat.get("pmsmp"))):  # the latest first
        bilan, convention = _dict(_dict(pmsmp).get("bilan")), _dict(pmsmp.get("convention"))
        if bilan.get("resultat") in PMSMP_FAITE and convention.get("code_rome"):
            entreprise = _dict(convention.get("entreprise")).get("raison_sociale") or "?"
            trouves.append((convention["code_rome"], f"immersion chez {entreprise}, bilan fait"))
    return trouves


def _du_diagnostic(etat: dict[str, Any]) -> list[tuple[str, str]]:
    diagnostics = _liste(etat.get("diagnostics"))
    code = _dict(_dict(diagnostics[-1]).get("projet")).get("code_rome") if diagnostics else None
    return [(code, "projet du diagnostic")] if code else []


def suggestions(etat: dict[str, Any], deja: list[str]) -> list[Suggestion]:
    """The métiers the parcours names, not yet among the fiche's projects ``deja``, each once,
    the immersions first (what the person did), then the diagnostic."""
    vus = set(deja)
    resultat = []
    for code, source in _des_immersions(etat) + _du_diagnostic(etat):
        if code in METIERS and code not in vus:
            vus.add(code)
            resultat.append(Suggestion(code, libelle_metier(code), source))
    return resultat
