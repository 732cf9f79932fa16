"""Actions prescribed from the territory's offer of services, and their progress."""

from __future__ import annotations

from datetime import date

from temporalio import workflow

from schemas.action import ACTIONS_CLOSES, Action, MiseAJourAction, PrescriptionAction
from schemas.common import Ordre
from schemas.parcours import Categorie, ParcoursState
from workflows import conditions
from workflows.declaration import APRES_ORIENTATION, REFERENT, CommandeRefusee, Transition
from workflows.etapes import orientation_structure
from workflows.etapes.base import Commande, Contexte, verifier_jour


def verifier_prescription(s: ParcoursState, p: PrescriptionAction, today: date) -> None:
    doublon = any(
        a.prescription.service_id == p.service_id and a.statut not in ACTIONS_CLOSES
        for a in s.actions
    )
    if doublon:
        raise CommandeRefusee("Cette action est déjà prescrite et n'est pas terminée")


async def prescrire(ctx: Contexte, ordre: Ordre[PrescriptionAction]) -> None:
    p = ordre.donnees
    action = Action(
        id=f"action-{ctx.s.next_number('action')}", prescription=p, mis_a_jour_le=ctx.today()
    )
    orienter = workflow.patched(orientation_structure.ORIENTATION_VERS_LA_STRUCTURE)
    if orienter:
        action = action.model_copy(update={"prescrite_le": ctx.today()})
    ctx.s.actions.append(action)
    ctx.noter(
        Categorie.ACTION,
        "action_prescrite",
        f"Action prescrite : {p.libelle} ({p.structure})",
        ordre.auteur,
        details={"action_id": action.id, "thematique": p.thematique},
    )
    if orienter:
        orientation_structure.adresser(ctx, len(ctx.s.actions) - 1, ordre.auteur)


def verifier_maj(s: ParcoursState, m: MiseAJourAction, today: date) -> None:
    verifier_jour(s, m.le, today, "La date de mise à jour", "le")
    action = next((a for a in s.actions if a.id == m.action_id), None)
    if action is None:
        raise CommandeRefusee(f"Action inconnue : {m.action_id}")
    if action.statut in ACTIONS_CLOSES:
        raise CommandeRefusee(f"L'action est déjà close ({action.statut.label.lower()})")


async def mettre_a_jour(ctx: Contexte, ordre: Ordre[MiseAJourAction]) -> None:
    m = ordre.donnees
    index = next(i for i, a in enumerate(ctx.s.actions) if a.id == m.action_id)
    action = ctx.s.actions[index]
    ctx.s.actions[index] = action.model_copy(
        update={"statut": m.statut, "mis_a_jour_le": m.le, "commentaire": m.commentaire}
    )
    ctx.noter(
        Categorie.ACTION,
        "action_mise_a_jour",
        f"Action « {action.prescription.libelle} » : {m.statut.label.lower()}",
        ordre.auteur,
        le=m.le,
        details={"action_id": m.action_id, "statut": m.statut.value},
    )


# The commands this module handles: who may give them, when, and how the cockpit shows them
# (gathered and judged by workflows/transitions.py).
DECLARATIONS: list[Transition] = [
    Transition(
        "prescrire_action",
        "Prescrire une action",
        PrescriptionAction,
        APRES_ORIENTATION,
        REFERENT,
        groupe="action",
    ),
    Transition(
        "mettre_a_jour_action",
        "Mettre à jour une action",
        MiseAJourAction,
        APRES_ORIENTATION,
        REFERENT,
        condition=conditions.a_des_actions,
        groupe="action",
    ),
]

COMMANDES = {
    "prescrire_action": Commande(prescrire, verifier_prescription),
    "mettre_a_jour_action": Commande(mettre_a_jour, verifier_maj),
}
