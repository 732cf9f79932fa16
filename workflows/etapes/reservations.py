"""The appointments taken on the référent's agenda: booked, moved or cancelled by the person
from an invitation's link, or given by the référent's convocation; each confirmed to the
person with its calendar file, and told to the référent."""

from __future__ import annotations

from datetime import date, timedelta

from temporalio import workflow

from core.clock import local_day
from schemas.appels import Courriel, EvenementCalendrier, Sms
from schemas.carnet import CanalLien
from schemas.common import Ordre
from schemas.incident import TypeOperation
from schemas.invitation import (
    AnnulationParLaPersonne,
    ConvocationRdv,
    ReservationParLaPersonne,
    StatutInvitation,
)
from schemas.parcours import Categorie, ParcoursState
from schemas.rdv import Rdv, StatutRdv
from workflows.declaration import OUVERTES, PERSONNE, REFERENT, CommandeRefusee, Transition
from workflows.etapes.base import Commande, Contexte, jour_message, quand, quand_message
from workflows.etapes.invitations import canaux_de


def verifier_reservation(s: ParcoursState, r: ReservationParLaPersonne, today: date) -> None:
    inv = next((i for i in s.invitations if i.id == r.invitation_id), None)
    if inv is None or inv.statut != StatutInvitation.ENVOYEE or inv.expire_le <= today:
        raise CommandeRefusee("Cette invitation n'est plus valable")


# workflow.patched() id: the confirmation e-mail of a booked appointment joins its .ics file.
ICS_JOINT = "rdv-reserve-avec-fichier-ics"


def _evenement(s: ParcoursState, rdv: Rdv, *, annule: bool = False) -> EvenementCalendrier:
    fin = rdv.fin or rdv.date_heure + timedelta(minutes=30)
    return EvenementCalendrier(
        uid=rdv.id,
        titre=f"{rdv.objet} avec {rdv.professionnel}",
        debut=rdv.date_heure,
        fin=fin,
        lieu=rdv.lieu or rdv.mode.label,
        sequence=rdv.modifications + (1 if annule else 0),
        annule=annule,
    )


def _prevenir_la_personne(
    ctx: Contexte, sujet: str, texte: str, calendrier: EvenementCalendrier | None
) -> None:
    """SMS and e-mail, whichever the person has; the e-mail carries the .ics file."""
    canaux = canaux_de(ctx.s, CanalLien.LES_DEUX)
    if "SMS" in canaux:
        sms = Sms(telephone=ctx.s.usager.telephone or "", texte=texte)
        ctx.lancer_operation(TypeOperation.ENVOYER_SMS, sms)
    if "courriel" in canaux:
        courriel = Courriel(
            destinataire=ctx.s.usager.email or "", sujet=sujet, texte=texte, calendrier=calendrier
        )
        ctx.lancer_operation(TypeOperation.ENVOYER_COURRIEL, courriel)


def _prevenir_le_referent(ctx: Contexte, sujet: str, texte: str) -> None:
    if ctx.s.referent is not None:
        ctx.lancer_operation(
            TypeOperation.ENVOYER_COURRIEL,
            Courriel(
                destinataire=f"compte:{ctx.s.referent.referent.id}",
                sujet=sujet,
                texte=texte,
                lien=f"/parcours/{ctx.s.parcours_id}",
            ),
        )


async def reserver_par_la_personne(ctx: Contexte, ordre: Ordre[ReservationParLaPersonne]) -> None:
    r, s = ordre.donnees, ctx.s
    index = next(i for i, x in enumerate(s.invitations) if x.id == r.invitation_id)
    inv = s.invitations[index]
    nom = s.referent.referent.nom if s.referent else "votre référent"
    rdv = Rdv(
        id=f"{s.parcours_id[:8]}-rdv-{s.next_number('rdv')}",
        date_heure=r.debut,
        mode=r.modalite,
        lieu=r.lieu,
        professionnel=nom,
        objet=inv.libelle,
        source="reservation",
        reservation_id=r.reservation_id,
        fin=r.fin,
    )
    s.rdvs.append(rdv)
    s.invitations[index] = inv.model_copy(
        update={"statut": StatutInvitation.RESERVEE, "rdv_id": rdv.id, "reservee_le": ctx.today()}
    )
    ou = f" ({r.lieu})" if r.lieu else f" ({r.modalite.label.lower()})"
    texte = (
        f"Bonjour {s.usager.prenom}, votre rendez-vous est confirmé le {quand_message(r.debut)}{ou} "
        f"avec {nom}."
    )
    calendrier = _evenement(s, rdv) if workflow.patched(ICS_JOINT) else None
    _prevenir_la_personne(ctx, "Votre rendez-vous est confirmé", texte, calendrier)
    ctx.noter(
        Categorie.RDV,
        "rdv_reserve",
        f"Rendez-vous pris par la personne le {quand(r.debut)}{ou} : {inv.libelle}",
        ordre.auteur,
        details={"rdv_id": rdv.id, "invitation_id": inv.id, "motif": inv.motif},
        interaction=True,
    )


def _rdv_de_l_invitation(s: ParcoursState, invitation_id: str) -> tuple[int, int]:
    """(index of the invitation, index of its appointment), or refused."""
    i = next((i for i, x in enumerate(s.invitations) if x.id == invitation_id), None)
    inv = s.invitations[i] if i is not None else None
    if inv is None or inv.statut != StatutInvitation.RESERVEE:
        raise CommandeRefusee("Aucun rendez-vous pris avec cette invitation")
    j = next((j for j, x in enumerate(s.rdvs) if x.id == inv.rdv_id), None)
    if i is None or j is None or s.rdvs[j].statut != StatutRdv.PREVU:
        raise CommandeRefusee("Ce rendez-vous ne peut plus être modifié")
    return i, j


def verifier_deplacement(s: ParcoursState, r: ReservationParLaPersonne, today: date) -> None:
    _rdv_de_l_invitation(s, r.invitation_id)
    if local_day(r.debut) <= today:
        raise CommandeRefusee("Choisissez un créneau à partir de demain", champ="debut")


async def deplacer_par_la_personne(ctx: Contexte, ordre: Ordre[ReservationParLaPersonne]) -> None:
    """The person moves the appointment to another free slot: same appointment, same .ics
    event (UID) with a higher SEQUENCE; its reminders start over for the new day."""
    r, s = ordre.donnees, ctx.s
    _, j = _rdv_de_l_invitation(s, r.invitation_id)
    avant = s.rdvs[j]
    rdv = avant.model_copy(
        update={
            "date_heure": r.debut,
            "fin": r.fin,
            "mode": r.modalite,
            "lieu": r.lieu,
            "reservation_id": r.reservation_id,
            "rappels_envoyes": [],
            "modifications": avant.modifications + 1,
        }
    )
    s.rdvs[j] = rdv
    ou = f" ({r.lieu})" if r.lieu else f" ({r.modalite.label.lower()})"
    texte = (
        f"Bonjour {s.usager.prenom}, votre rendez-vous du {quand_message(avant.date_heure)} est "
        f"déplacé au {quand_message(r.debut)}{ou} avec {rdv.professionnel}."
    )
    _prevenir_la_personne(ctx, "Votre rendez-vous est déplacé", texte, _evenement(s, rdv))
    libelle = (
        f"Rendez-vous déplacé par la personne du {quand(avant.date_heure)} "
        f"au {quand(r.debut)}{ou} : {rdv.objet}"
    )
    _prevenir_le_referent(ctx, "Rendez-vous déplacé par la personne", libelle)
    ctx.noter(Categorie.RDV, "rdv_deplace", libelle, ordre.auteur, details={"rdv_id": rdv.id})


def verifier_annulation(s: ParcoursState, a: AnnulationParLaPersonne, today: date) -> None:
    _rdv_de_l_invitation(s, a.invitation_id)


async def annuler_par_la_personne(ctx: Contexte, ordre: Ordre[AnnulationParLaPersonne]) -> None:
    """The person cancels: the appointment is cancelled and the invitation opens again, so
    that the same link lets them take another slot until it expires."""
    s = ctx.s
    i, j = _rdv_de_l_invitation(s, ordre.donnees.invitation_id)
    rdv = s.rdvs[j].model_copy(update={"statut": StatutRdv.ANNULE})
    s.rdvs[j] = rdv
    inv = s.invitations[i]
    s.invitations[i] = inv.model_copy(
        update={"statut": StatutInvitation.ENVOYEE, "rdv_id": None, "reservee_le": None}
    )
    veille = jour_message(inv.expire_le - timedelta(days=1))
    texte = (
        f"Bonjour {s.usager.prenom}, votre rendez-vous du {quand_message(rdv.date_heure)} est "
        f"annulé. Vous pouvez en choisir un autre avec le lien de l'invitation jusqu'au {veille}."
    )
    _prevenir_la_personne(
        ctx, "Votre rendez-vous est annulé", texte, _evenement(s, rdv, annule=True)
    )
    libelle = f"Rendez-vous du {quand(rdv.date_heure)} annulé par la personne : {rdv.objet}"
    _prevenir_le_referent(ctx, "Rendez-vous annulé par la personne", libelle)
    ctx.noter(
        Categorie.RDV,
        "rdv_annule_par_la_personne",
        libelle,
        ordre.auteur,
        details={"rdv_id": rdv.id, "invitation_id": inv.id},
    )


def verifier_convocation(s: ParcoursState, c: ConvocationRdv, today: date) -> None:
    if c.parcours_id != s.parcours_id or any(r.reservation_id == c.reservation_id for r in s.rdvs):
        raise CommandeRefusee("Ce créneau n'est pas réservé pour cette personne", "reservation_id")
    if local_day(c.debut) < today:
        raise CommandeRefusee("Un créneau passé ne peut pas servir de convocation", "debut")


async def convoquer(ctx: Contexte, ordre: Ordre[ConvocationRdv]) -> None:
    """The référent convokes on a fixed slot of their agenda: the same appointment as one the
    person books (reminders, outcome, .ics), told by the same channels."""
    c, s = ordre.donnees, ctx.s
    rdv = Rdv(
        id=f"{s.parcours_id[:8]}-rdv-{s.next_number('rdv')}",
        date_heure=c.debut,
        mode=c.modalite,
        lieu=c.lieu,
        professionnel=ordre.auteur.nom,
        objet=c.libelle,
        source="convocation",
        reservation_id=c.reservation_id,
        fin=c.fin,
    )
    s.rdvs.append(rdv)
    ou = f" ({c.lieu})" if c.lieu else f" ({c.modalite.label.lower()})"
    texte = (
        f"Bonjour {s.usager.prenom}, {rdv.professionnel} vous convoque à un rendez-vous "
        f"({c.libelle.lower()}) le {quand_message(c.debut)}{ou}. En cas d'imprévu, prévenez votre "
        "référent."
    )
    _prevenir_la_personne(ctx, "Convocation à un rendez-vous", texte, _evenement(s, rdv))
    canaux = canaux_de(s, CanalLien.LES_DEUX)
    envoi = " et ".join(canaux) if canaux else "aucun canal : ni téléphone ni courriel connus"
    ctx.noter(
        Categorie.RDV,
        "rdv_convoque",
        f"Convocation le {quand(c.debut)}{ou} : {c.libelle} ({envoi})",
        ordre.auteur,
        details={"rdv_id": rdv.id, "motif": c.motif},
    )


# The commands this module handles: who may give them, when, and how the cockpit shows them
# (gathered and judged by workflows/transitions.py).
DECLARATIONS: list[Transition] = [
    Transition(
        "convoquer_rdv",
        "Convoquer la personne sur un créneau de son agenda",
        ConvocationRdv,
        OUVERTES,
        REFERENT,
        groupe="rdv",
    ),
    Transition(
        "reserver_rdv",
        "Prendre rendez-vous (par la personne)",
        ReservationParLaPersonne,
        OUVERTES,
        PERSONNE,
        pendant_suspension=True,
        groupe="rdv",
    ),
    Transition(
        "deplacer_rdv",
        "Déplacer son rendez-vous (par la personne)",
        ReservationParLaPersonne,
        OUVERTES,
        PERSONNE,
        pendant_suspension=True,
        groupe="rdv",
    ),
    Transition(
        "annuler_rdv",
        "Annuler son rendez-vous (par la personne)",
        AnnulationParLaPersonne,
        OUVERTES,
        PERSONNE,
        pendant_suspension=True,
        groupe="rdv",
    ),
]

COMMANDES = {
    "convoquer_rdv": Commande(convoquer, verifier_convocation),
    "reserver_rdv": Commande(reserver_par_la_personne, verifier_reservation),
    "deplacer_rdv": Commande(deplacer_par_la_personne, verifier_deplacement),
    "annuler_rdv": Commande(annuler_par_la_personne, verifier_annulation),
}
