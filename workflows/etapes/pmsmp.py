"""PMSMP: the convention is prepared here, then lived in its child workflow (PmsmpWorkflow)."""

from __future__ import annotations

from datetime import date

from core.ids import enfant_workflow_id, parcours_workflow_id
from schemas.common import Ordre
from schemas.enfants import PmsmpInput
from schemas.parcours import Categorie, ParcoursState, Phase
from schemas.pmsmp import ConventionPmsmp, EtatPmsmp, Pmsmp
from workflows import conditions
from workflows.declaration import REFERENT, CommandeRefusee, Transition
from workflows.etapes.base import Commande, Contexte, jour_fr

RATTRAPAGE_MAX_JOURS = 30


def verifier(s: ParcoursState, c: ConventionPmsmp, today: date) -> None:
    # A convention signed on paper may be recorded a little late (its signatures must still
    # predate the start); an immersion begun more than a month ago can no longer be entered.
    if (today - c.date_debut).days > RATTRAPAGE_MAX_JOURS:
        raise CommandeRefusee(
            f"Cette immersion a commencé il y a plus de {RATTRAPAGE_MAX_JOURS} jours : "
            "elle ne peut plus être enregistrée",
            champ="date_debut",
        )
    if c.renouvellement_de is None:
        return
    previous = next((p for p in s.pmsmp if p.id == c.renouvellement_de), None)
    if previous is None:
        raise CommandeRefusee(
            f"Convention à renouveler inconnue : {c.renouvellement_de}", champ="renouvellement_de"
        )
    if previous.convention.objectif != c.objectif:
        raise CommandeRefusee(
            "Un renouvellement garde l'objectif de la convention initiale", champ="objectif"
        )
    if previous.etat != EtatPmsmp.BILAN_FAIT:
        raise CommandeRefusee("Une convention se renouvelle après le bilan de la précédente")
    if previous.convention.renouvellement_de is not None:
        raise CommandeRefusee(
            "Une PMSMP ne peut être renouvelée qu'une fois pour le même objectif : "
            "cette convention est déjà un renouvellement"
        )
    if any(
        p.convention.renouvellement_de == previous.id and p.etat != EtatPmsmp.ANNULEE
        for p in s.pmsmp
    ):
        raise CommandeRefusee("Cette convention a déjà été renouvelée une fois")


async def prescrire(ctx: Contexte, ordre: Ordre[ConventionPmsmp]) -> None:
    c, s = ordre.donnees, ctx.s
    numero = s.next_number("pmsmp")
    pmsmp_id = f"{s.parcours_id[:8]}-pmsmp-{numero}"
    workflow_id = enfant_workflow_id(s.parcours_id, "pmsmp", numero)
    s.pmsmp.append(
        Pmsmp(
            id=pmsmp_id,
            workflow_id=workflow_id,
            etat=EtatPmsmp.EN_SIGNATURE,
            convention=c,
            prescripteur=ordre.auteur,
        )
    )
    renouvelle = " (renouvellement)" if c.renouvellement_de else ""
    ctx.noter(
        Categorie.PMSMP,
        "pmsmp_prescrite",
        f"Immersion{renouvelle} chez {c.entreprise.raison_sociale} ({c.metier}) "
        f"du {jour_fr(c.date_debut)} au {jour_fr(c.date_fin)}",
        ordre.auteur,
        le=ctx.today(),
        details={"pmsmp_id": pmsmp_id, "objectif": c.objectif.value},
    )
    feries = s.regles.jours_feries if s.regles else []
    await ctx.demarrer_enfant(
        "Pmsmp",
        PmsmpInput(
            parcours_id=s.parcours_id,
            parent_workflow_id=parcours_workflow_id(s.parcours_id),
            pmsmp_id=pmsmp_id,
            convention=c,
            prescripteur=ordre.auteur,
            jours_feries=feries,
        ),
        workflow_id,
    )


# The commands this module handles: who may give them, when, and how the cockpit shows them
# (gathered and judged by workflows/transitions.py).
DECLARATIONS: list[Transition] = [
    Transition(
        "prescrire_pmsmp",
        "Préparer une immersion (PMSMP)",
        ConventionPmsmp,
        frozenset({Phase.CONTRAT}),
        REFERENT,
        condition=conditions.sans_pmsmp_en_cours,
        groupe="pmsmp",
    ),
]

COMMANDES = {"prescrire_pmsmp": Commande(prescrire, verifier)}
