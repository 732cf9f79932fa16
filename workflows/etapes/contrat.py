"""Contrat d'engagement: drafted here, then lived in its own child workflow (ContratWorkflow)."""

from __future__ import annotations

from datetime import date

from core.ids import enfant_workflow_id, parcours_workflow_id
from schemas.common import Ordre
from schemas.contrat import Contrat, EtatContrat, RedactionContrat, TypeContrat
from schemas.enfants import ContratInput
from schemas.parcours import Categorie, ParcoursState, Phase
from workflows import conditions
from workflows.declaration import APRES_ORIENTATION, REFERENT, CommandeRefusee, Transition
from workflows.etapes.base import Commande, Contexte, jour_fr

# The contracts each kind of organisme signs (CEJ and PACEA are for young people).
AGE_MAX_JEUNES = 25


def verifier(s: ParcoursState, r: RedactionContrat, today: date) -> None:
    if (
        r.type in (TypeContrat.CEJ, TypeContrat.PACEA)
        and s.usager.age_le(r.date_debut) > AGE_MAX_JEUNES
    ):
        raise CommandeRefusee(
            f"Un {r.type.label} est réservé aux jeunes de {AGE_MAX_JEUNES} ans au plus",
            champ="type",
        )
    orientation = s.orientation
    if orientation is not None and r.date_debut < orientation.decision.decidee_le:
        raise CommandeRefusee(
            f"Le contrat ne peut pas commencer avant l'orientation du "
            f"{jour_fr(orientation.decision.decidee_le)}",
            champ="date_debut",
        )


async def rediger(ctx: Contexte, ordre: Ordre[RedactionContrat]) -> None:
    r, s = ordre.donnees, ctx.s
    assert s.referent is not None
    numero = s.next_number("contrat")
    workflow_id = enfant_workflow_id(s.parcours_id, "contrat", numero)
    if s.contrat is not None:
        s.contrats_passes.append(s.contrat)
    # The mirror exists at once, so the next command (signature) is allowed immediately.
    s.contrat = Contrat(
        workflow_id=workflow_id,
        numero=numero,
        etat=EtatContrat.BROUILLON,
        type=r.type,
        date_debut=r.date_debut,
        date_fin=r.date_fin,
        objectifs=r.objectifs,
        engagements_usager=r.engagements_usager,
        engagements_referent=r.engagements_referent,
        referent=s.referent.referent,
    )
    ctx.noter(
        Categorie.CONTRAT,
        "contrat_redige",
        f"{r.type.label} rédigé, du {jour_fr(r.date_debut)} au {jour_fr(r.date_fin)}",
        ordre.auteur,
        le=ctx.today(),
    )
    await ctx.demarrer_enfant(
        "Contrat",
        ContratInput(
            parcours_id=s.parcours_id,
            parent_workflow_id=parcours_workflow_id(s.parcours_id),
            numero=numero,
            redaction=r,
            referent=s.referent.referent,
            auteur=ordre.auteur,
        ),
        workflow_id,
    )


# The commands this module handles: who may give them, when, and how the cockpit shows them
# (gathered and judged by workflows/transitions.py).
DECLARATIONS: list[Transition] = [
    Transition(
        "rediger_contrat",
        "Rédiger le contrat d'engagement",
        RedactionContrat,
        APRES_ORIENTATION - {Phase.PMSMP},
        REFERENT,
        condition=conditions.sans_contrat_en_cours,
        groupe="contrat",
    ),
]

COMMANDES = {"rediger_contrat": Commande(rediger, verifier)}
