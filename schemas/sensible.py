"""Health and justice data (RGPD art. 9): the one rule of what may leave the platform.

Only the parcours' référent sees them, and only while the person consents
(``consentement.themes_sensibles``). Everybody else — and everybody, the référent included,
once the consent is withdrawn — gets the state through :func:`sans_sensible`. Every output
applies it: the JSON API and the cockpit (web/vues.py), the forms' initial values, the
contract PDF, the right-of-access export, and the observatoire's figures
(:func:`freins_comptables`).

What is sensitive: the diagnostic's answers on the sensitive freins (health) and on justice;
the contract objectives and the actions tagged with a sensitive frein, and the actions of a
health service (an objective « suivi en CMP » or an action « consultation d'addictologie »
says as much as the diagnostic); the
timeline entries flagged sensitive when written, and those about a sensitive action.
"""

from __future__ import annotations

from typing import Any

from schemas.action import Action
from schemas.contrat import Contrat, Objectif
from schemas.diagnostic import FREINS_SENSIBLES
from schemas.parcours import EvenementTimeline, ParcoursState

MASQUE = "Information sensible masquée"
_CODES_SENSIBLES = frozenset(f.value for f in FREINS_SENSIBLES)


def sensible_autorise(s: ParcoursState, referent_du_parcours: bool) -> bool:
    """May this person see the health and justice answers of this parcours?"""
    return referent_du_parcours and s.consentement.themes_sensibles


def proteger(s: ParcoursState, referent_du_parcours: bool) -> ParcoursState:
    """The state as this person may receive it (see the module's docstring)."""
    return s if sensible_autorise(s, referent_du_parcours) else sans_sensible(s)


def objectif_sensible(o: Objectif) -> bool:
    return o.frein in FREINS_SENSIBLES


def action_sensible(a: Action) -> bool:
    """Tagged with a sensitive frein, or a health service of the catalogue (thématique
    « sante--… » of data·inclusion) whatever frein it was prescribed for."""
    return a.prescription.frein in FREINS_SENSIBLES or a.prescription.thematique.startswith("sante")


def sans_sensible(s: ParcoursState) -> ParcoursState:
    """A copy of the state with every health and justice answer blanked."""
    actions = {a.id for a in s.actions if action_sensible(a)}
    return s.model_copy(
        update={
            "diagnostics": [d.sans_sensible() for d in s.diagnostics],
            "contrat": _contrat(s.contrat) if s.contrat else None,
            "contrats_passes": [_contrat(c) for c in s.contrats_passes],
            "actions": [_action(a) if a.id in actions else a for a in s.actions],
            "timeline": [_evenement(e, actions) for e in s.timeline],
        }
    )


def _objectifs(objectifs: list[Objectif]) -> list[Objectif]:
    return [
        o.model_copy(update={"libelle": MASQUE, "frein": None, "code_rome": None})
        if objectif_sensible(o)
        else o
        for o in objectifs
    ]


def _objectifs_optionnels(objectifs: list[Objectif] | None) -> list[Objectif] | None:
    return None if objectifs is None else _objectifs(objectifs)


def _contrat(c: Contrat) -> Contrat:
    return c.model_copy(
        update={
            "objectifs": _objectifs(c.objectifs),
            "avenants": [
                a.model_copy(update={"objectifs": _objectifs_optionnels(a.objectifs)})
                for a in c.avenants
            ],
            "revues": [
                r.model_copy(update={"objectifs": _objectifs_optionnels(r.objectifs)})
                for r in c.revues
            ],
        }
    )


def _action(a: Action) -> Action:
    prescription = a.prescription.model_copy(
        update={
            "service_id": "masque",
            "libelle": MASQUE,
            "structure": MASQUE,
            "thematique": MASQUE,
            "frein": None,
        }
    )
    return a.model_copy(update={"prescription": prescription, "commentaire": ""})


def _evenement(e: EvenementTimeline, actions_sensibles: set[str]) -> EvenementTimeline:
    if e.sensible or e.details.get("action_id") in actions_sensibles:
        return e.model_copy(update={"libelle": MASQUE, "details": {}, "sensible": True})
    return e


def freins_comptables(freins: dict[str, str], etat: dict[str, Any]) -> dict[str, str]:
    """The observatoire's reading of one diagnostic (frein → niveau, from the read model's JSON):
    without the person's consent, the sensitive freins are not counted."""
    consentement = etat.get("consentement")
    if isinstance(consentement, dict) and consentement.get("themes_sensibles") is True:
        return freins
    return {f: niveau for f, niveau in freins.items() if f not in _CODES_SENSIBLES}
