"""What remains of a parcours after anonymisation: the facts the statistics need (dates,
phases, categories, outcomes), nothing that identifies the person or that a professional typed
freely. Pure functions over the read model's JSON, testable on their own."""

from __future__ import annotations

from datetime import date
from typing import Any

ANONYME = "ANONYME"
# Timeline details that are codes, not free text: kept for the indicators.
DETAILS_GARDES = frozenset(
    {
        "regle",
        "cle",
        "severite",
        "motif",
        "positive",
        "type_contrat",
        "resultat",
        "embauche",
        "organisme",
        "type",
        "conforme",
        "statut",
        "objectif",
        "interaction",
        "partenaire",
        "operation",
        "rappel",
        "etape",
        "decision",
    }
)


def _garder(d: dict[str, Any] | None, *cles: str) -> dict[str, Any] | None:
    return None if d is None else {k: d[k] for k in cles if k in d}


def _diagnostic(d: dict[str, Any]) -> dict[str, Any]:
    projet = d.get("projet") or {}
    return {
        **_garder(d, "realise_le", "situation", "niveau_formation", "droits", "disponibilite"),  # type: ignore[dict-item]
        "projet": {"code_rome": projet.get("code_rome")},
        "freins": [
            {"frein": f.get("frein"), "niveau": f.get("niveau"), "commentaire": ""}
            for f in d.get("freins") or []
        ],
    }


def _contrat(c: dict[str, Any] | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        **_garder(
            c, "numero", "etat", "type", "date_debut", "date_fin", "signatures", "renouvellements"
        ),  # type: ignore[dict-item]
        "objectifs": [
            {"frein": o.get("frein"), "statut": o.get("statut")} for o in c.get("objectifs") or []
        ],
    }


def _pmsmp(p: dict[str, Any]) -> dict[str, Any]:
    convention = p.get("convention") or {}
    bilan = p.get("bilan")
    return {
        "etat": p.get("etat"),
        "validee_le": p.get("validee_le"),
        "convention": _garder(
            convention, "date_debut", "date_fin", "objectif", "code_rome", "heures_hebdomadaires"
        ),
        "bilan": _garder(bilan, "redige_le", "resultat", "embauche_proposee"),
    }


def _emploi(e: dict[str, Any] | None) -> dict[str, Any] | None:
    if e is None:
        return None
    embauche = e.get("embauche") or {}
    return {
        "etat": e.get("etat"),
        "embauche": _garder(embauche, "type_contrat", "date_debut", "date_fin"),
        "points": [
            _garder(p, "jalon_jours", "realise_le", "deroulement") for p in e.get("points") or []
        ],
        "fin": _garder(e.get("fin"), "le", "motif"),
    }


def etat_anonyme(etat: dict[str, Any]) -> dict[str, Any]:
    usager = etat.get("usager") or {}
    naissance = str(usager.get("date_naissance", "1900-01-01"))[:4] + "-01-01"
    return {
        **_garder(
            etat,
            "parcours_id",
            "version",
            "ouvert_le",
            "territoire",
            "phase",
            "phases",
            "organisme",
            "proposition_orientation",
        ),  # type: ignore[dict-item]
        "usager": {
            "nom": ANONYME,
            "prenom": "",
            "date_naissance": naissance,
            "code_postal": usager.get("code_postal"),
            "commune": usager.get("commune"),
        },
        "diagnostics": [_diagnostic(d) for d in etat.get("diagnostics") or []],
        "orientations": [
            {
                "decision": _garder(o.get("decision"), "decidee_le", "type", "organisme"),
                "conforme": o.get("conforme"),
            }
            for o in etat.get("orientations") or []
        ],
        "contrat": _contrat(etat.get("contrat")),
        "contrats_passes": [_contrat(c) for c in etat.get("contrats_passes") or []],
        "pmsmp": [_pmsmp(p) for p in etat.get("pmsmp") or []],
        "emploi": _emploi(etat.get("emploi")),
        "emplois_passes": [_emploi(e) for e in etat.get("emplois_passes") or []],
        "sortie": _garder(etat.get("sortie"), "le", "motif"),
    }


def details_anonymes(details: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in details.items() if k in DETAILS_GARDES}


def naissance_anonyme(naissance: date) -> date:
    return date(naissance.year, 1, 1)
