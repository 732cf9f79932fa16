"""Invitations to book (issue 18): the link sent to the person, the booking, moving and
cancelling by the person, and the convocation to a slot of the agenda."""

from __future__ import annotations

from datetime import date, timedelta

from temporalio import workflow

from rules.calendrier import ajouter
from schemas.appels import (
    MARQUE_LIEN,
    Courriel,
    CourrierInvitation,
    InvitationRdvSolidarites,
    LienCarnetAEnvoyer,
    Sms,
)
from schemas.carnet import CanalLien
from schemas.common import Acteur, Ordre
from schemas.incident import TypeOperation
from schemas.invitation import (
    EnvoiInvitation,
    InvitationRdv,
    StatutInvitation,
)
from schemas.parcours import Categorie, ParcoursState
from schemas.regles import Delai
from workflows import conditions
from workflows.declaration import OUVERTES, REFERENT, Transition
from workflows.etapes.base import Commande, Contexte, jour_fr, jour_message

EXPIRATION_PAR_DEFAUT = Delai(valeur=10)  # a parcours whose rules snapshot predates the rule


def expiration(s: ParcoursState, envoyee_le: date) -> date:
    """The day the link stops working and the vigie's « invitation_expiree » starts."""
    regle = s.regles.regle("invitation_expiree") if s.regles else None
    delai = regle.delai if regle and regle.delai else EXPIRATION_PAR_DEFAUT
    return ajouter(envoyee_le, delai, s.regles.jours_feries if s.regles else [])


def canaux_de(s: ParcoursState, canal: CanalLien) -> list[str]:
    """The channels of ``canal`` by which the person can be reached."""
    canaux = []
    if canal in (CanalLien.SMS, CanalLien.LES_DEUX) and s.usager.telephone:
        canaux.append("SMS")
    if canal in (CanalLien.COURRIEL, CanalLien.LES_DEUX) and s.usager.email:
        canaux.append("courriel")
    return canaux


async def inviter(ctx: Contexte, ordre: Ordre[EnvoiInvitation]) -> None:
    """Send the person a link to book a slot of their référent's agenda for a motif. The
    link's secret is drawn by the sending activity (one per message); only its fingerprint
    comes back, in lien_remis."""
    e, s = ordre.donnees, ctx.s
    assert s.referent is not None  # the transition's condition
    invitation = InvitationRdv(
        id=f"{s.parcours_id[:8]}-inv-{s.next_number('invitation')}",
        motif=e.motif,
        libelle=e.libelle,
        referent_id=s.referent.referent.id,
        canal=e.canal,
        adresse_publique=e.adresse_publique,
        envoyee_le=ctx.today(),
        expire_le=expiration(s, ctx.today()),
    )
    outil = _outil(ctx, e)
    if outil and s.identifiants.rdv_solidarites is not None:
        invitation = invitation.model_copy(update={"outil": e.outil})
    s.invitations.append(invitation)
    canaux = _envoyer_liens(ctx, invitation, "invitation")
    envoi = f"envoyée par {' et '.join(canaux) or 'aucun canal'}" + outil
    if not canaux and s.usager.adresse and workflow.patched(INVITATION_PAR_COURRIER):
        _preparer_courrier(ctx, invitation, s.usager.adresse, s.referent.referent.nom)
        envoi = "par courrier, à imprimer et poster (la lettre sera jointe aux documents)"
    ctx.noter(
        Categorie.RDV,
        "invitation_rdv",
        f"Invitation à prendre rendez-vous ({e.libelle.lower()}) {envoi}, valable jusqu'au "
        f"{jour_fr(invitation.expire_le - timedelta(days=1))}",
        ordre.auteur,
        details={"invitation_id": invitation.id, "motif": e.motif},
    )


# --- rdv dans l'outil externe --- workflow.patched() id: when the département books in its own
# tool (RDV_OUTIL_EXTERNE), a person registered in it gets the tool's booking link instead of
# the platform's; before, the platform's link was sent whatever the setting.
INVITATION_DANS_L_OUTIL = "invitation-dans-l-outil-de-rendez-vous"


def _outil(ctx: Contexte, e: EnvoiInvitation) -> str:
    """What the timeline adds about the tool: its link, or why the platform's is sent."""
    if e.outil is None or not workflow.patched(INVITATION_DANS_L_OUTIL):
        return ""
    if ctx.s.identifiants.rdv_solidarites is None:
        return (
            " avec le lien de l'agenda de la plateforme : la personne n'est pas inscrite dans "
            "RDV-Solidarités"
        )
    return " avec le lien de réservation de RDV-Solidarités"


# workflow.patched() id: a person with neither phone nor e-mail, but an address, is invited by
# a letter (PDF with a short booking code) that the référent posts; before, nothing was sent.
INVITATION_PAR_COURRIER = "invitation-par-courrier-postal"


def _preparer_courrier(
    ctx: Contexte, invitation: InvitationRdv, adresse: str, referent: str
) -> None:
    """The letter is made by an activity (activities/courrier.py), which draws its code and
    files the PDF among the documents; only the code's fingerprint comes back (lien_remis)."""
    u = ctx.s.usager
    courrier = CourrierInvitation(
        carnet=LienCarnetAEnvoyer(
            lien_id=f"{invitation.id}:invitation-courrier",
            adresse_publique=invitation.adresse_publique,
            expire_le=invitation.expire_le,
            chemin="rdv",
        ),
        prenom=u.prenom,
        nom=u.nom,
        adresse=adresse,
        code_postal=u.code_postal,
        commune=u.commune,
        motif=invitation.libelle,
        referent_id=invitation.referent_id,
        referent=referent,
        date_limite=invitation.expire_le - timedelta(days=1),
    )
    ctx.lancer_operation(TypeOperation.PRODUIRE_COURRIER, courrier)


def _envoyer_liens(ctx: Contexte, invitation: InvitationRdv, envoi: str) -> list[str]:
    """One message per channel, each with its own link (lien_id names the sending)."""
    s = ctx.s
    veille = jour_message(invitation.expire_le - timedelta(days=1))
    debut = (
        "votre référent vous invite"
        if envoi == "invitation"
        else "rappel : votre référent vous invite"
    )
    texte = (
        f"Bonjour {s.usager.prenom}, {debut} à prendre rendez-vous "
        f"({invitation.libelle.lower()}). Choisissez votre date d'ici le {veille} : {MARQUE_LIEN}"
    )
    canaux = canaux_de(s, invitation.canal)
    if invitation.outil is not None and s.identifiants.rdv_solidarites is not None:
        for canal in canaux:
            _envoyer_dans_l_outil(ctx, invitation, canal, texte, s.identifiants.rdv_solidarites)
        return canaux
    for canal in canaux:
        lien = LienCarnetAEnvoyer(
            lien_id=f"{invitation.id}:{envoi}-{canal}",
            adresse_publique=invitation.adresse_publique,
            expire_le=invitation.expire_le,
            chemin="rdv",
        )
        if canal == "SMS":
            sms = Sms(telephone=s.usager.telephone or "", texte=texte, carnet=lien)
            ctx.lancer_operation(TypeOperation.ENVOYER_SMS, sms)
        else:
            courriel = Courriel(
                destinataire=s.usager.email or "",
                sujet="Prenez votre rendez-vous",
                texte=texte,
                carnet=lien,
            )
            ctx.lancer_operation(TypeOperation.ENVOYER_COURRIEL, courriel)
    return canaux


def _envoyer_dans_l_outil(
    ctx: Contexte, invitation: InvitationRdv, canal: str, texte: str, usager: str
) -> None:
    """The activity asks the tool for the person's invitation token and sends its link."""
    assert invitation.outil is not None
    u = ctx.s.usager
    message = InvitationRdvSolidarites(
        invitation_id=invitation.id,
        rdv_solidarites_id=usager,
        outil=invitation.outil,
        sms=Sms(telephone=u.telephone or "", texte=texte) if canal == "SMS" else None,
        courriel=None
        if canal == "SMS"
        else Courriel(destinataire=u.email or "", sujet="Prenez votre rendez-vous", texte=texte),
    )
    ctx.lancer_operation(TypeOperation.INVITER_DANS_RDV_SOLIDARITES, message)


def relancer_invitation(ctx: Contexte, invitation_id: str) -> None:
    """The vigie's « invitation_sans_reponse » was raised: send new links, once."""
    index = next((i for i, x in enumerate(ctx.s.invitations) if x.id == invitation_id), None)
    if index is None:
        return
    invitation = ctx.s.invitations[index]
    if invitation.relancee or invitation.statut != StatutInvitation.ENVOYEE:
        return
    ctx.s.invitations[index] = invitation.model_copy(update={"relancee": True})
    canaux = _envoyer_liens(ctx, invitation, "relance")
    ctx.noter(
        Categorie.NOTIFICATION,
        "invitation_relancee",
        f"Relance de l'invitation à prendre rendez-vous ({invitation.libelle.lower()}) "
        f"par {' et '.join(canaux) or 'aucun canal'}",
        Acteur.plateforme(),
        details={"invitation_id": invitation.id, "motif": invitation.motif},
    )


# --- rdv dans l'outil externe --- workflow.patched() id: a rdv taken in the tool with the link
# of an invitation answers that invitation (the vigie's « invitation_expiree » clears).
RDV_DE_L_OUTIL = "rdv-de-l-outil-repond-a-l-invitation"


def rdv_de_l_outil(ctx: Contexte, rdv_id: str, annule: bool, le: date) -> None:
    """The tool's webhook says which rdv, not which invitation: a new rdv answers the oldest
    invitation still waiting whose link was the tool's; a cancelled one opens it again, so that
    the same link lets the person take another slot until it expires (as on the platform)."""
    s = ctx.s
    if any(i.rdv_id == rdv_id for i in s.invitations) != annule:
        return  # already answered (a moved rdv), or a cancelled rdv no invitation was waiting for
    index = next(
        (
            i
            for i, x in enumerate(s.invitations)
            if x.outil is not None
            and (x.rdv_id == rdv_id if annule else x.statut == StatutInvitation.ENVOYEE)
        ),
        None,
    )
    if index is None or not workflow.patched(RDV_DE_L_OUTIL):
        return
    inv = s.invitations[index]
    maj: dict[str, object] = (
        {"statut": StatutInvitation.ENVOYEE, "rdv_id": None, "reservee_le": None}
        if annule
        else {"statut": StatutInvitation.RESERVEE, "rdv_id": rdv_id, "reservee_le": le}
    )
    s.invitations[index] = inv.model_copy(update=maj)
    ctx.noter(
        Categorie.RDV,
        "invitation_rouverte" if annule else "invitation_reservee_dans_l_outil",
        (
            f"Invitation à prendre rendez-vous ({inv.libelle.lower()}) de nouveau en attente : "
            "le rendez-vous pris dans RDV-Solidarités est annulé"
            if annule
            else f"Invitation à prendre rendez-vous ({inv.libelle.lower()}) : rendez-vous pris "
            "dans RDV-Solidarités"
        ),
        Acteur.partenaire("rdv", "RDV-Solidarités"),
        details={"invitation_id": inv.id, "rdv_id": rdv_id},
    )


def invitation_remise(ctx: Contexte, lien_id: str, empreinte: str) -> None:
    """A booking link was sent: its fingerprint opens the booking page from now on."""
    invitation_id = lien_id.split(":", 1)[0]
    for i, inv in enumerate(ctx.s.invitations):
        if inv.id == invitation_id and empreinte not in inv.empreintes:
            ctx.s.invitations[i] = inv.model_copy(
                update={"empreintes": [*inv.empreintes, empreinte]}
            )


# The commands this module handles: who may give them, when, and how the cockpit shows them
# (gathered and judged by workflows/transitions.py).
DECLARATIONS: list[Transition] = [
    Transition(
        "inviter_rdv",
        "Inviter la personne à prendre rendez-vous",
        EnvoiInvitation,
        OUVERTES,
        REFERENT,
        condition=conditions.invitable,
        groupe="rdv",
    ),
]

COMMANDES = {
    "inviter_rdv": Commande(inviter),
}
