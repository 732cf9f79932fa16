"""What remains of a parcours after anonymisation: the facts the statistics need (months,
phases, categories, outcomes), nothing that identifies the person or that a professional typed
freely. Dates are kept to the month and the commune to the bassin (territoire): next to a
health frein, an exact date and a village could point at someone. Pure functions over the read
model's JSON, testable on their own. Every store and what anonymisation does to it:
docs/donnees-personnelles.md."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from schemas.common import Territoire
from store.imports import ImportLigneRow

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
    anonyme: dict[str, Any] = au_mois(_etat_anonyme(etat))
    return anonyme


def _etat_anonyme(etat: dict[str, Any]) -> dict[str, Any]:
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
            "code_postal": None,
            "commune": bassin(etat.get("territoire")),
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


def bassin(territoire: str | None) -> str:
    """The commune gives way to the bassin d'emploi (the territoire's name)."""
    try:
        return Territoire(territoire or "").label
    except ValueError:
        return ""


_JOUR = re.compile(r"^(\d{4}-\d{2})-\d{2}(?:[T ][0-9:.+\-Z]*)?$")


def au_mois(valeur: Any) -> Any:
    """Every date or date-time of a JSON value, brought back to the 1st of its month."""
    if isinstance(valeur, dict):
        return {k: au_mois(v) for k, v in valeur.items()}
    if isinstance(valeur, list):
        return [au_mois(v) for v in valeur]
    if isinstance(valeur, str) and (m := _JOUR.match(valeur)):
        return f"{m.group(1)}-01"
    return valeur


def jour_au_mois(jour: date | None) -> date | None:
    return None if jour is None else date(jour.year, jour.month, 1)


def instant_au_mois(instant: datetime | None) -> datetime | None:
    if instant is None:
        return None
    return datetime(instant.year, instant.month, 1, tzinfo=instant.tzinfo or UTC)


def contient(texte: str | None, valeurs: list[str]) -> bool:
    """Whether a free text names one of the person's identifiers (partner events' subjects)."""
    bas = (texte or "").lower()
    return any(v.lower() in bas for v in valeurs if len(v) >= 4)


def ligne_d_import_effacee(ligne: ImportLigneRow, message: str) -> None:
    """What remains of an imported list's row past its delay: its number, action and outcome
    (the import's counts stay right) and why it says nothing more; never the person (an error
    message may quote a cell: they go too)."""
    ligne.brut, ligne.accueil, ligne.cle_identite, ligne.nir_empreinte = {}, None, None, None
    ligne.erreurs, ligne.remarques, ligne.message = [], [], message
