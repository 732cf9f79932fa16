"""The few dated facts the indicators need, read from the parcours' state as projected in the
read model (``ParcoursRow.etat``, plain JSON). Read leniently on purpose: an anonymised or
older row simply yields fewer facts instead of failing the whole computation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from schemas.contrat import Signataire
from schemas.sensible import freins_comptables

SIGNATAIRES_CONTRAT = frozenset(s.value for s in Signataire)


@dataclass(frozen=True)
class DiagnosticFait:
    le: date
    freins: dict[str, str]  # frein → niveau (aucun, a_travailler, bloquant)


@dataclass(frozen=True)
class PmsmpFait:
    debut: date
    fin: date
    annulee: bool
    resultat: str | None  # the bilan's result, None while there is no bilan


@dataclass(frozen=True)
class EmploiFait:
    debut: date
    fin: date | None  # the earliest of the actual end and the contract's planned end


@dataclass(frozen=True)
class Faits:
    parcours_id: str
    diagnostics: list[DiagnosticFait]
    orientations: list[date]  # decision dates
    contrats_signes: list[date]  # the day each contract got its last signature
    pmsmp: list[PmsmpFait]
    emplois: list[EmploiFait]


def _jour(valeur: Any) -> date | None:
    return date.fromisoformat(valeur) if isinstance(valeur, str) and valeur else None


def _liste(valeur: Any) -> list[dict[str, Any]]:
    return [v for v in valeur if isinstance(v, dict)] if isinstance(valeur, list) else []


def _diagnostic(d: dict[str, Any], etat: dict[str, Any]) -> DiagnosticFait | None:
    le = _jour(d.get("realise_le"))
    freins = {str(f.get("frein")): str(f.get("niveau")) for f in _liste(d.get("freins"))}
    return DiagnosticFait(le, freins_comptables(freins, etat)) if le else None


def _signe_le(c: dict[str, Any]) -> date | None:
    signatures = c.get("signatures") or {}
    if not isinstance(signatures, dict) or set(signatures) != SIGNATAIRES_CONTRAT:
        return None
    jours = [j for j in map(_jour, signatures.values()) if j]
    return max(jours, default=None)


def _pmsmp(p: dict[str, Any]) -> PmsmpFait | None:
    convention = p.get("convention") or {}
    debut, fin = _jour(convention.get("date_debut")), _jour(convention.get("date_fin"))
    if debut is None or fin is None:
        return None
    bilan = p.get("bilan") or {}
    return PmsmpFait(debut, fin, p.get("etat") == "annulee", bilan.get("resultat"))


def _emploi(e: dict[str, Any]) -> EmploiFait | None:
    embauche = e.get("embauche") or {}
    debut = _jour(embauche.get("date_debut"))
    if debut is None:
        return None
    fins = [_jour(embauche.get("date_fin")), _jour((e.get("fin") or {}).get("le"))]
    return EmploiFait(debut, min((f for f in fins if f), default=None))


def _presents(*valeurs: Any) -> list[dict[str, Any]]:
    return [v for v in valeurs if isinstance(v, dict)]


def lire(parcours_id: str, etat: dict[str, Any]) -> Faits:
    contrats = _liste(etat.get("contrats_passes")) + _presents(etat.get("contrat"))
    emplois = _liste(etat.get("emplois_passes")) + _presents(etat.get("emploi"))
    orientations = [
        _jour((o.get("decision") or {}).get("decidee_le")) for o in _liste(etat.get("orientations"))
    ]
    return Faits(
        parcours_id=parcours_id,
        diagnostics=sorted(
            (d for d in (_diagnostic(d, etat) for d in _liste(etat.get("diagnostics"))) if d),
            key=lambda d: d.le,
        ),
        orientations=sorted(o for o in orientations if o),
        contrats_signes=sorted(s for s in map(_signe_le, contrats) if s),
        pmsmp=[p for p in map(_pmsmp, _liste(etat.get("pmsmp"))) if p],
        emplois=sorted((e for e in map(_emploi, emplois) if e), key=lambda e: e.debut),
    )
