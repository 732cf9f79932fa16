"""Embauche: the parcours enters the suivi dans l'emploi, lived in its child workflow."""

from __future__ import annotations

from datetime import date

from core.ids import enfant_workflow_id, parcours_workflow_id
from schemas.common import Ordre
from schemas.emploi import DeclarationEmbauche, Emploi, EtatEmploi
from schemas.enfants import EmploiInput
from schemas.parcours import Categorie, ParcoursState, Phase
from workflows import conditions
from workflows.declaration import OUVERTES, REFERENT, Transition
from workflows.etapes.base import Commande, Contexte, jour_fr, verifier_jour


def verifier(s: ParcoursState, e: DeclarationEmbauche, today: date) -> None:
    verifier_jour(s, e.date_debut, today, "La date d'embauche", "date_debut")


async def declarer(ctx: Contexte, ordre: Ordre[DeclarationEmbauche]) -> None:
    e, s = ordre.donnees, ctx.s
    numero = s.next_number("emploi")
    workflow_id = enfant_workflow_id(s.parcours_id, "emploi", numero)
    if s.emploi is not None:
        s.emplois_passes.append(s.emploi)
    s.emploi = Emploi(workflow_id=workflow_id, numero=numero, etat=EtatEmploi.EN_COURS, embauche=e)
    fin = f" jusqu'au {jour_fr(e.date_fin)}" if e.date_fin else ""
    ctx.noter(
        Categorie.EMPLOI,
        "embauche",
        f"Embauche en {e.type_contrat.label} chez {e.employeur.raison_sociale} ({e.metier}) "
        f"à partir du {jour_fr(e.date_debut)}{fin}",
        ordre.auteur,
        le=e.date_debut,
        details={"type_contrat": e.type_contrat.value},
        interaction=True,
    )
    ctx.changer_phase(Phase.EMPLOI, e.date_debut)
    await ctx.demarrer_enfant(
        "SuiviEmploi",
        EmploiInput(
            parcours_id=s.parcours_id,
            parent_workflow_id=parcours_workflow_id(s.parcours_id),
            numero=numero,
            embauche=e,
            auteur=ordre.auteur,
        ),
        workflow_id,
    )


# The commands this module handles: who may give them, when, and how the cockpit shows them
# (gathered and judged by workflows/transitions.py).
DECLARATIONS: list[Transition] = [
    Transition(
        "declarer_embauche",
        "Déclarer une embauche",
        DeclarationEmbauche,
        OUVERTES - {Phase.PMSMP},
        REFERENT,
        condition=conditions.sans_emploi_en_cours,
        groupe="emploi",
        vers=Phase.EMPLOI,
    ),
]

COMMANDES = {"declarer_embauche": Commande(declarer, verifier)}
