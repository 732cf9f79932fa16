"""Which command may be given, in which phase, by whom: the declarations gathered, and judged.

Each step module (workflows/etapes/) and each child workflow declares its own commands next to
their handlers (workflows/declaration.py says what a declaration holds). The parcours
workflow's validators and the cockpit's buttons both judge a command here, so a button is shown
exactly when the command would be accepted.
"""

from __future__ import annotations

from schemas.common import Acteur, Role
from schemas.parcours import ParcoursState
from workflows import contrat, emploi, pmsmp
from workflows.declaration import (
    GROUPES,
    PAR_LIEN,
    Cible,
    CommandeRefusee,
    Qui,
    Transition,
    erreurs_du_champ,
    inscription_animee,
    prerequis,
    reserve_a,
)
from workflows.etapes import MODULES

__all__ = [
    "GROUPES",
    "PAR_LIEN",
    "TRANSITIONS",
    "Cible",
    "CommandeRefusee",
    "Qui",
    "Transition",
    "commandes_possibles",
    "erreurs_du_champ",
    "prerequis",
    "qualites",
    "refus",
    "reserve_a",
    "verifier",
]


def _rassembler() -> dict[str, Transition]:
    """Every declaration, once, by group in the cockpit's order (then as each module lists
    them): a name declared twice is a mistake caught at import."""
    declarations = [d for m in [*MODULES, contrat, pmsmp, emploi] for d in m.DECLARATIONS]
    rang = {g: i for i, g in enumerate(GROUPES)}
    ordonnees = sorted(declarations, key=lambda d: rang[d.groupe])
    table = {d.commande: d for d in ordonnees}
    if len(table) != len(declarations):
        noms = [d.commande for d in declarations]
        raise ValueError(
            f"commande déclarée deux fois : {sorted({n for n in noms if noms.count(n) > 1})}"
        )
    return table


TRANSITIONS: dict[str, Transition] = _rassembler()


def qualites(acteur: Acteur, state: ParcoursState) -> set[Qui]:
    """In which capacities this actor may act on this parcours."""
    found: set[Qui] = set()
    if acteur.role == Role.REFERENT and state.referent and state.referent.referent.id == acteur.id:
        found.add(Qui.REFERENT)
    if (
        acteur.role == Role.REFERENT
        and state.transfert
        and state.transfert.accuse_le is None
        and state.transfert.vers.id == acteur.id
    ):
        found.add(Qui.NOUVEAU_REFERENT)
    if acteur.role == Role.COORDINATEUR and acteur.territoire == state.territoire:
        found.add(Qui.COORDINATEUR)
    if acteur.role == Role.ADMINISTRATEUR:
        found.add(Qui.ADMINISTRATEUR)
    if acteur.role == Role.USAGER and acteur.id == f"usager:{state.parcours_id}":
        found.add(Qui.PERSONNE)
    if acteur.role == Role.PARTENAIRE and acteur.id == f"structure:{state.parcours_id}":
        found.add(Qui.STRUCTURE)
    if acteur.role == Role.REFERENT and inscription_animee(acteur) in {
        r.reservation_id for r in state.rdvs if r.reservation_id
    }:
        found.add(Qui.ANIMATEUR)
    return found


def refus(commande: str, state: ParcoursState, acteur: Acteur) -> str | None:
    """Why this actor cannot give this command now, in French — or None if they can."""
    t = TRANSITIONS.get(commande)
    if t is None:
        return f"Commande inconnue : « {commande} »"
    if state.clos:
        return "Le parcours est clos : aucune commande n'est plus possible"
    if not qualites(acteur, state) & t.qui:
        return f"« {t.libelle} » est réservé {reserve_a(t.qui)}"
    if state.phase not in t.phases:
        return f"« {t.libelle} » n'est pas possible en phase « {state.phase.label} »"
    if state.suspension is not None and not t.pendant_suspension:
        return f"Le parcours est suspendu : « {t.libelle} » attendra sa reprise"
    if t.condition is not None:
        return t.condition(state)
    return None


def verifier(commande: str, state: ParcoursState, acteur: Acteur) -> None:
    reason = refus(commande, state, acteur)
    if reason is not None:
        raise CommandeRefusee(reason)


def commandes_possibles(state: ParcoursState, acteur: Acteur) -> list[Transition]:
    """The buttons to show this actor now, in table order."""
    return [t for name, t in TRANSITIONS.items() if refus(name, state, acteur) is None]
