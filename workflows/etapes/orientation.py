"""Orientation: the human decision beside the rules' proposal; reorientation returns here."""

from __future__ import annotations

from datetime import date, timedelta

from schemas.appels import DemandeSiae, NotificationOrientation
from schemas.common import Ordre, Organisme, Role
from schemas.enfants import Cloture
from schemas.incident import TypeOperation
from schemas.orientation import (
    DecisionOrientationResolue,
    DemandeReorientation,
    OrientationDecidee,
)
from schemas.parcours import Categorie, ParcoursState, Phase
from schemas.referent import AccesTemporaire, ReferentAffecte
from workflows import conditions
from workflows.declaration import REFERENT_OU_COORDINATION, CommandeRefusee, Transition
from workflows.etapes.base import Commande, Contexte, verifier_apres_phase, verifier_jour
from workflows.etapes.referent import ACCES_ANCIEN_REFERENT_JOURS


def verifier_decision(s: ParcoursState, d: DecisionOrientationResolue, today: date) -> None:
    verifier_jour(s, d.decidee_le, today, "La date de décision", "decidee_le")
    verifier_apres_phase(s, d.decidee_le, "La décision d'orientation", "decidee_le")
    if d.referent.role != Role.REFERENT or d.referent.organisme != d.organisme:
        raise CommandeRefusee(
            f"Le référent unique doit être un référent de l'organisme « {d.organisme.label} »",
            champ="referent_id",
        )
    p = s.proposition_orientation
    conforme = p is not None and (p.type, p.organisme) == (d.type, d.organisme)
    if not conforme and len(d.motif_ecart.strip()) < 5:
        raise CommandeRefusee(
            "La décision diffère de la proposition des règles : indiquez le motif de l'écart",
            champ="motif_ecart",
        )


async def decider(ctx: Contexte, ordre: Ordre[DecisionOrientationResolue]) -> None:
    d, s = ordre.donnees, ctx.s
    p = s.proposition_orientation
    conforme = p is not None and (p.type, p.organisme) == (d.type, d.organisme)
    s.orientations.append(
        OrientationDecidee(decision=d, proposition=p, referent=d.referent, conforme=conforme)
    )
    s.organisme = d.organisme
    ancien = s.referent.referent if s.referent else None
    s.referent = ReferentAffecte(referent=d.referent, depuis=d.decidee_le)
    ecart = "" if conforme else f" (différente de la proposition : {d.motif_ecart})"
    ctx.noter(
        Categorie.ORIENTATION,
        "orientation_decidee",
        f"Orientation {d.type.label.lower()} vers {d.organisme.label}{ecart}",
        ordre.auteur,
        le=d.decidee_le,
        details={
            "organisme": d.organisme.value,
            "type": d.type.value,
            "conforme": "oui" if conforme else "non",
        },
    )
    if ancien is not None and ancien.id != d.referent.id:
        # the référent d'accueil keeps read access for the handover, as after a transfer
        s.acces_temporaires.append(
            AccesTemporaire(
                compte_id=ancien.id,
                motif="référent d'accueil",
                jusqu_au=d.decidee_le + timedelta(days=ACCES_ANCIEN_REFERENT_JOURS),
            )
        )
    if ancien is None or ancien.id != d.referent.id:
        ctx.noter(
            Categorie.REFERENT,
            "referent_designe",
            f"Référent unique désigné : {d.referent.nom}",
            ordre.auteur,
            le=d.decidee_le,
        )
    ctx.changer_phase(Phase.ORIENTATION, d.decidee_le)
    _transmettre(ctx, d)


def _transmettre(ctx: Contexte, d: DecisionOrientationResolue) -> None:
    """Tell the partners who must know, when the person agreed to share."""
    s = ctx.s
    if not s.consentement.partage_partenaires:
        ctx.noter(
            Categorie.ORIENTATION,
            "transmission_refusee",
            "Décision non transmise aux partenaires : la personne n'a pas consenti au partage",
            d.referent,
            le=d.decidee_le,
        )
        return
    if d.organisme == Organisme.FRANCE_TRAVAIL or s.identifiants.france_travail:
        ctx.lancer_operation(
            TypeOperation.NOTIFIER_ORIENTATION,
            NotificationOrientation(
                identifiant_france_travail=s.identifiants.france_travail,
                reference_parcours=s.parcours_id,
                organisme=d.organisme.value,
                type_orientation=d.type.value,
                decidee_le=d.decidee_le,
                referent=d.referent.nom,
            ),
        )
    if d.organisme == Organisme.SIAE:
        diag = s.diagnostic
        ctx.lancer_operation(
            TypeOperation.DEMANDE_SIAE,
            DemandeSiae(
                reference_parcours=s.parcours_id,
                pass_iae=s.identifiants.pass_iae,
                territoire=s.territoire.value,
                metier_vise=diag.projet.metier_vise if diag else None,
            ),
        )


def verifier_reorientation(s: ParcoursState, d: DemandeReorientation, today: date) -> None:
    verifier_jour(s, d.demandee_le, today, "La date de la demande", "demandee_le")


async def reorienter(ctx: Contexte, ordre: Ordre[DemandeReorientation]) -> None:
    d, s = ordre.donnees, ctx.s
    ctx.noter(
        Categorie.ORIENTATION,
        "reorientation",
        f"Réorientation demandée : {d.motif}",
        ordre.auteur,
        le=d.demandee_le,
    )
    if s.contrat is not None and s.contrat.en_cours:
        await ctx.signaler(
            s.contrat.workflow_id,
            "clore",
            Cloture(motif="réorientation", le=d.demandee_le, auteur=ordre.auteur),
        )
    ctx.changer_phase(Phase.DIAGNOSTIC, d.demandee_le)
    await ctx.proposer_orientation()


# The commands this module handles: who may give them, when, and how the cockpit shows them
# (gathered and judged by workflows/transitions.py).
DECLARATIONS: list[Transition] = [
    Transition(
        "decider_orientation",
        "Décider l'orientation",
        DecisionOrientationResolue,
        frozenset({Phase.DIAGNOSTIC}),
        REFERENT_OU_COORDINATION,
        condition=conditions.diagnostic_fait,
        groupe="orientation",
        vers=Phase.ORIENTATION,
    ),
    Transition(
        "demander_reorientation",
        "Demander une réorientation",
        DemandeReorientation,
        frozenset({Phase.ORIENTATION, Phase.CONTRAT}),
        REFERENT_OU_COORDINATION,
        condition=conditions.diagnostic_fait,
        groupe="orientation",
        vers=Phase.DIAGNOSTIC,
    ),
]

COMMANDES = {
    "decider_orientation": Commande(decider, verifier_decision),
    "demander_reorientation": Commande(reorienter, verifier_reorientation),
}
