"""What the parcours already says about the person's projects and availability, so that the
référent fills the fiche of the pool without typing it again (issue 24, item 4): the métier of
an immersion (PMSMP) whose bilan says it took place, of an objective of the contract in force
that names one (its optional ROME code: matching the objective's words to the ROME gave wrong
métiers, « Passer le permis B » → animateur de stages permis à points), the project of the
latest diagnostic; and the diagnostic's availability, its mobility and childcare freins, the
immersions' hours. Suggestions only: the référent checks them and saves the fiche with the
person, nothing is written here.

Health is never read here: an objective tagged with a sensitive frein proposes nothing, and of
the freins only mobility and family (childcare) are repeated (``FREINS_DU_VIVIER``).

Pure functions on the parcours' state as the read model holds it (``ParcoursRow.etat``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from core.formats import jour
from referentiels.rome import METIERS, libelle_metier
from schemas.contrat import EtatContrat, StatutObjectif
from schemas.diagnostic import FREINS_SENSIBLES, Disponibilite, Frein, NiveauFrein

PMSMP_FAITE = frozenset({"realisee", "partielle"})  # ResultatPmsmp: it took place
# Signed and running: a draft, a contract awaiting a signature, suspended or ended says nothing
# the person still aims at.
CONTRAT_EN_VIGUEUR = frozenset({EtatContrat.ACTIF.value, EtatContrat.A_REVOIR.value})
# The freins that bear on what the fiche asks (distance, vehicle, hours); never a sensitive one.
FREINS_DU_VIVIER = tuple(f for f in (Frein.MOBILITE, Frein.FAMILLE) if f not in FREINS_SENSIBLES)
_SENSIBLES = frozenset(f.value for f in FREINS_SENSIBLES)


@dataclass(frozen=True)
class Suggestion:
    code_rome: str
    metier: str
    source: str  # in words, for the référent: where the parcours says it


@dataclass(frozen=True)
class DisponibiliteDite:
    """The availability the latest diagnostic records, and that diagnostic's date."""

    disponibilite: Disponibilite
    le: date

    @property
    def source(self) -> str:
        return f"diagnostic du {jour(self.le, 'long')}"


@dataclass(frozen=True)
class Repere:
    """Something the parcours says that bears on the fiche, for the référent to weigh."""

    sujet: str
    texte: str
    source: str


def _dict(valeur: Any) -> dict[str, Any]:
    return valeur if isinstance(valeur, dict) else {}


def _liste(valeur: Any) -> list[Any]:
    return valeur if isinstance(valeur, list) else []


def _immersions_faites(etat: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """Each immersion that took place (its convention, and where it was in words), the latest
    first."""
    faites = []
    for pmsmp in reversed(_liste(etat.get("pmsmp"))):
        bilan, convention = _dict(_dict(pmsmp).get("bilan")), _dict(pmsmp.get("convention"))
        if bilan.get("resultat") in PMSMP_FAITE:
            entreprise = _dict(convention.get("entreprise")).get("raison_sociale") or "?"
            faites.append((convention, f"immersion chez {entreprise}, bilan fait"))
    return faites


def _des_immersions(etat: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (c["code_rome"], source) for c, source in _immersions_faites(etat) if c.get("code_rome")
    ]


def _du_contrat(etat: dict[str, Any]) -> list[tuple[str, str]]:
    contrat = _dict(etat.get("contrat"))
    if contrat.get("etat") not in CONTRAT_EN_VIGUEUR:
        return []
    return [
        (o["code_rome"], f"objectif du contrat d'engagement : {o.get('libelle', '')}")
        for o in map(_dict, _liste(contrat.get("objectifs")))
        if o.get("code_rome")
        and o.get("statut") != StatutObjectif.ABANDONNE.value
        and o.get("frein") not in _SENSIBLES
    ]


def _dernier_diagnostic(etat: dict[str, Any]) -> dict[str, Any]:
    diagnostics = _liste(etat.get("diagnostics"))
    return _dict(diagnostics[-1]) if diagnostics else {}


def _du_diagnostic(etat: dict[str, Any]) -> list[tuple[str, str]]:
    code = _dict(_dernier_diagnostic(etat).get("projet")).get("code_rome")
    return [(code, "projet du diagnostic")] if code else []


def suggestions(etat: dict[str, Any], deja: list[str]) -> list[Suggestion]:
    """The métiers the parcours names, not yet among the fiche's projects ``deja``, each once:
    the immersions first (what the person did), then the contract's objectives (what she
    signed up for), then the diagnostic."""
    vus = set(deja)
    resultat = []
    for code, source in _des_immersions(etat) + _du_contrat(etat) + _du_diagnostic(etat):
        if code in METIERS and code not in vus:
            vus.add(code)
            resultat.append(Suggestion(code, libelle_metier(code), source))
    return resultat


def disponibilite(etat: dict[str, Any]) -> DisponibiliteDite | None:
    """What the latest diagnostic says of when the person can start; None without one."""
    dernier = _dernier_diagnostic(etat)
    try:
        return DisponibiliteDite(
            Disponibilite(dernier["disponibilite"]), date.fromisoformat(dernier["realise_le"])
        )
    except (KeyError, TypeError, ValueError):
        return None


def prete(etat: dict[str, Any]) -> bool:
    """The latest diagnostic says the person can start now (a new fiche starts « prête »)."""
    dite = disponibilite(etat)
    return dite is not None and dite.disponibilite == Disponibilite.IMMEDIATE


def _freins(etat: dict[str, Any], source: str) -> list[Repere]:
    niveaux = {
        e.get("frein"): e for e in map(_dict, _liste(_dernier_diagnostic(etat).get("freins")))
    }
    reperes = []
    for frein in FREINS_DU_VIVIER:
        evaluation = niveaux.get(frein.value, {})
        try:
            niveau = NiveauFrein(str(evaluation.get("niveau")))
        except ValueError:
            continue
        if niveau != NiveauFrein.AUCUN:
            commentaire = evaluation.get("commentaire") or ""
            texte = niveau.label + (f" : « {commentaire} »" if commentaire else "")
            reperes.append(Repere(frein.label, texte, source))
    return reperes


def reperes(etat: dict[str, Any]) -> list[Repere]:
    """What the parcours says of when and how the person can work, for the fiche's readiness,
    mobility and hours: the latest diagnostic's availability and its mobility and childcare
    freins (when not « aucun »), the hours of the immersions that took place. Nothing of it is
    structured enough to tick a box for the référent (the diagnostic has no hours of childcare;
    an immersion's hours are free text): they are shown, not copied."""
    trouves = []
    if (dite := disponibilite(etat)) is not None:
        trouves.append(Repere("Disponibilité", dite.disponibilite.label, dite.source))
        trouves += _freins(etat, dite.source)
    for convention, source in _immersions_faites(etat):
        if horaires := convention.get("horaires"):
            trouves.append(Repere("Horaires", horaires, source))
    return trouves
