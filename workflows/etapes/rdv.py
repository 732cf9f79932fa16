"""Rendez-vous, contacts and multi-partner meetings — and the reminders sent before a rdv."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from temporalio import workflow

from core.clock import PARIS, local_day
from rules.calendrier import ajouter
from schemas.appels import (
    MARQUE_LIEN,
    Courriel,
    CourrierInvitation,
    EvenementCalendrier,
    LienCarnetAEnvoyer,
    Sms,
)
from schemas.carnet import CanalLien
from schemas.common import Acteur, Ordre
from schemas.incident import TypeOperation
from schemas.invitation import (
    AnnulationParLaPersonne,
    ConvocationRdv,
    EnvoiInvitation,
    InvitationRdv,
    ReservationParLaPersonne,
    StatutInvitation,
)
from schemas.parcours import Categorie, ParcoursState
from schemas.rdv import (
    Contact,
    ModeRdv,
    PauseRappels,
    PlanificationRdv,
    Rdv,
    ResultatRdv,
    ReunionMultipartenaire,
    StatutRdv,
)
from schemas.regles import Canal, Delai, Rappel
from workflows import conditions
from workflows.declaration import (
    OUVERTES,
    PERSONNE,
    REFERENT,
    REFERENT_OU_COORDINATION,
    CommandeRefusee,
    Transition,
)
from workflows.etapes.base import Commande, Contexte, jour_fr, verifier_jour


def _quand(d: datetime) -> str:
    local = d.astimezone(PARIS)
    return f"{jour_fr(local.date())} à {local.hour} h {local.minute:02d}"


# The texts sent to the person stay in the GSM 03.38 alphabet, or each SMS costs two to three
# times as much (core/sms.py): « août » is written « aout », as the 1990 spelling reform allows,
# because « û » is not in that alphabet (tests/agendas/test_gabarits_gsm.py).
def _message(texte: str) -> str:
    return texte.replace("août", "aout")


def _le(d: datetime) -> str:
    """When, in a message to the person."""
    return _message(_quand(d))


def _jour(d: date) -> str:
    """A day, in a message to the person."""
    return _message(jour_fr(d))


SAISIE_TARDIVE_MAX_JOURS = 90


def verifier_planification(s: ParcoursState, p: PlanificationRdv, today: date) -> None:
    # A rdv held but not entered at the time may be recorded afterwards (then its outcome).
    jour = local_day(p.date_heure)
    if (today - jour).days > SAISIE_TARDIVE_MAX_JOURS:
        raise CommandeRefusee(
            f"Un rendez-vous passé de plus de {SAISIE_TARDIVE_MAX_JOURS} jours ne peut plus être saisi",
            champ="date_heure",
        )
    if jour < s.ouvert_le:
        raise CommandeRefusee("Un rendez-vous ne peut pas précéder l'accueil", champ="date_heure")


async def planifier(ctx: Contexte, ordre: Ordre[PlanificationRdv]) -> None:
    p = ordre.donnees
    rdv = Rdv(
        id=f"{ctx.s.parcours_id[:8]}-rdv-{ctx.s.next_number('rdv')}",
        date_heure=p.date_heure,
        mode=p.mode,
        lieu=p.lieu,
        professionnel=p.professionnel,
        objet=p.objet,
    )
    ctx.s.rdvs.append(rdv)
    ctx.noter(
        Categorie.RDV,
        "rdv_planifie",
        f"Rendez-vous {p.mode.label.lower()} le {_quand(p.date_heure)} avec {p.professionnel} : {p.objet}",
        ordre.auteur,
        details={"rdv_id": rdv.id},
    )


def verifier_resultat(s: ParcoursState, r: ResultatRdv, today: date) -> None:
    rdv = next((x for x in s.rdvs if x.id == r.rdv_id), None)
    if rdv is None:
        raise CommandeRefusee(f"Rendez-vous inconnu : {r.rdv_id}")
    if rdv.statut != StatutRdv.PREVU:
        raise CommandeRefusee(
            f"L'issue de ce rendez-vous est déjà renseignée ({rdv.statut.label.lower()})"
        )
    if r.statut in (StatutRdv.HONORE, StatutRdv.NON_HONORE) and local_day(rdv.date_heure) > today:
        raise CommandeRefusee(
            "Ce rendez-vous n'a pas encore eu lieu : il peut seulement être annulé ou excusé",
            champ="statut",
        )


def appliquer_resultat(ctx: Contexte, rdv_id: str, statut: StatutRdv, auteur_nom: str) -> Rdv:
    """Shared by the référent's command and the appointment platform's events."""
    index = next(i for i, x in enumerate(ctx.s.rdvs) if x.id == rdv_id)
    rdv = ctx.s.rdvs[index].model_copy(update={"statut": statut})
    ctx.s.rdvs[index] = rdv
    return rdv


async def renseigner(ctx: Contexte, ordre: Ordre[ResultatRdv]) -> None:
    r = ordre.donnees
    rdv = appliquer_resultat(ctx, r.rdv_id, r.statut, ordre.auteur.nom)
    commentaire = f" — {r.commentaire}" if r.commentaire else ""
    ctx.noter(
        Categorie.RDV,
        f"rdv_{r.statut.value}",
        f"Rendez-vous du {_quand(rdv.date_heure)} : {r.statut.label.lower()}{commentaire}",
        ordre.auteur,
        le=min(local_day(rdv.date_heure), ctx.today()),
        details={"rdv_id": rdv.id},
        interaction=r.statut == StatutRdv.HONORE,
    )


async def regler_rappels(ctx: Contexte, ordre: Ordre[PauseRappels]) -> None:
    p = ordre.donnees
    ctx.s.rappels_en_pause = p.motif if p.active else None
    libelle = f"Rappels suspendus : {p.motif}" if p.active else "Rappels repris"
    ctx.noter(Categorie.RDV, "rappels", libelle, ordre.auteur)


def verifier_contact(s: ParcoursState, c: Contact, today: date) -> None:
    verifier_jour(s, c.le, today, "La date du contact", "le")


async def contact(ctx: Contexte, ordre: Ordre[Contact]) -> None:
    c = ordre.donnees
    ctx.s.contacts.append(c)
    objet = f" : {c.objet}" if c.objet else ""
    ctx.noter(
        Categorie.CONTACT,
        "contact",
        f"{c.mode.label}{objet}",
        ordre.auteur,
        le=c.le,
        interaction=True,
    )


async def reunion(ctx: Contexte, ordre: Ordre[ReunionMultipartenaire]) -> None:
    r = ordre.donnees
    ctx.noter(
        Categorie.CONTACT,
        "reunion_planifiee",
        f"Réunion multipartenaire le {_quand(r.date_heure)} ({', '.join(r.organismes)}) : {r.objet}",
        ordre.auteur,
    )
    if ctx.s.referent is not None:
        ctx.lancer_operation(
            TypeOperation.ENVOYER_COURRIEL,
            Courriel(
                destinataire=f"compte:{ctx.s.referent.referent.id}",
                sujet="Réunion multipartenaire planifiée",
                texte=f"{ordre.auteur.nom} a planifié une réunion le {_quand(r.date_heure)} "
                f"pour le parcours {ctx.s.parcours_id[:8].upper()} : {r.objet}.",
            ),
        )


# --- reminders ---------------------------------------------------------------------------


def moment_du_rappel(rdv: Rdv, rappel: Rappel) -> datetime:
    day = local_day(rdv.date_heure) - timedelta(days=rappel.jours_avant)
    return datetime.combine(day, time(rappel.heure), tzinfo=PARIS)


def rappels_a_venir(
    s: ParcoursState, rappels: list[Rappel]
) -> Iterator[tuple[Rdv, Rappel, datetime]]:
    """Reminders not sent yet for planned appointments, with the moment each is due.
    A reminder whose moment passed before the rdv was even planned is never sent late."""
    if s.rappels_en_pause is not None or s.clos:
        return
    for rdv in s.rdvs:
        if rdv.statut != StatutRdv.PREVU:
            continue
        for rappel in rappels:
            if rappel.code not in rdv.rappels_envoyes:
                yield rdv, rappel, moment_du_rappel(rdv, rappel)


def envoyer_rappel(ctx: Contexte, rdv: Rdv, rappel: Rappel) -> None:
    s = ctx.s
    ou = (
        f" ({rdv.lieu})"
        if rdv.mode == ModeRdv.SUR_PLACE and rdv.lieu
        else f" ({rdv.mode.label.lower()})"
    )
    texte = (
        f"Bonjour {s.usager.prenom}, rappel : rendez-vous le {_le(rdv.date_heure)}{ou} "
        f"avec {rdv.professionnel}. En cas d'imprévu, prévenez votre référent."
    )
    canaux = []
    if Canal.SMS in rappel.canaux and s.usager.telephone:
        ctx.lancer_operation(
            TypeOperation.ENVOYER_SMS, Sms(telephone=s.usager.telephone, texte=texte)
        )
        canaux.append("SMS")
    if Canal.COURRIEL in rappel.canaux and s.usager.email:
        ctx.lancer_operation(
            TypeOperation.ENVOYER_COURRIEL,
            Courriel(destinataire=s.usager.email, sujet="Rappel de votre rendez-vous", texte=texte),
        )
        canaux.append("courriel")
    index = next(i for i, x in enumerate(s.rdvs) if x.id == rdv.id)
    s.rdvs[index] = rdv.model_copy(update={"rappels_envoyes": [*rdv.rappels_envoyes, rappel.code]})
    envoi = " et ".join(canaux) if canaux else "aucun canal : ni téléphone ni courriel connus"
    ctx.noter(
        Categorie.NOTIFICATION,
        "rappel_rdv",
        f"Rappel {rappel.code.upper()} du rendez-vous du {_quand(rdv.date_heure)} ({envoi})",
        Acteur.plateforme(),
        details={"rdv_id": rdv.id, "rappel": rappel.code},
    )


# --- invitations to book (issue 18) ------------------------------------------------------


EXPIRATION_PAR_DEFAUT = Delai(valeur=10)  # a parcours whose rules snapshot predates the rule


def expiration(s: ParcoursState, envoyee_le: date) -> date:
    """The day the link stops working and the vigie's « invitation_expiree » starts."""
    regle = s.regles.regle("invitation_expiree") if s.regles else None
    delai = regle.delai if regle and regle.delai else EXPIRATION_PAR_DEFAUT
    return ajouter(envoyee_le, delai, s.regles.jours_feries if s.regles else [])


def _canaux(s: ParcoursState, canal: CanalLien) -> list[str]:
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
    s.invitations.append(invitation)
    canaux = _envoyer_liens(ctx, invitation, "invitation")
    envoi = f"envoyée par {' et '.join(canaux) or 'aucun canal'}"
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
    veille = _jour(invitation.expire_le - timedelta(days=1))
    debut = (
        "votre référent vous invite"
        if envoi == "invitation"
        else "rappel : votre référent vous invite"
    )
    texte = (
        f"Bonjour {s.usager.prenom}, {debut} à prendre rendez-vous "
        f"({invitation.libelle.lower()}). Choisissez votre date d'ici le {veille} : {MARQUE_LIEN}"
    )
    canaux = _canaux(s, invitation.canal)
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


def invitation_remise(ctx: Contexte, lien_id: str, empreinte: str) -> None:
    """A booking link was sent: its fingerprint opens the booking page from now on."""
    invitation_id = lien_id.split(":", 1)[0]
    for i, inv in enumerate(ctx.s.invitations):
        if inv.id == invitation_id and empreinte not in inv.empreintes:
            ctx.s.invitations[i] = inv.model_copy(
                update={"empreintes": [*inv.empreintes, empreinte]}
            )


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
    canaux = _canaux(ctx.s, CanalLien.LES_DEUX)
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
        f"Bonjour {s.usager.prenom}, votre rendez-vous est confirmé le {_le(r.debut)}{ou} "
        f"avec {nom}."
    )
    calendrier = _evenement(s, rdv) if workflow.patched(ICS_JOINT) else None
    _prevenir_la_personne(ctx, "Votre rendez-vous est confirmé", texte, calendrier)
    ctx.noter(
        Categorie.RDV,
        "rdv_reserve",
        f"Rendez-vous pris par la personne le {_quand(r.debut)}{ou} : {inv.libelle}",
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
        f"Bonjour {s.usager.prenom}, votre rendez-vous du {_le(avant.date_heure)} est "
        f"déplacé au {_le(r.debut)}{ou} avec {rdv.professionnel}."
    )
    _prevenir_la_personne(ctx, "Votre rendez-vous est déplacé", texte, _evenement(s, rdv))
    libelle = (
        f"Rendez-vous déplacé par la personne du {_quand(avant.date_heure)} "
        f"au {_quand(r.debut)}{ou} : {rdv.objet}"
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
    veille = _jour(inv.expire_le - timedelta(days=1))
    texte = (
        f"Bonjour {s.usager.prenom}, votre rendez-vous du {_le(rdv.date_heure)} est annulé. "
        f"Vous pouvez en choisir un autre avec le lien de l'invitation jusqu'au {veille}."
    )
    _prevenir_la_personne(
        ctx, "Votre rendez-vous est annulé", texte, _evenement(s, rdv, annule=True)
    )
    libelle = f"Rendez-vous du {_quand(rdv.date_heure)} annulé par la personne : {rdv.objet}"
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
        f"({c.libelle.lower()}) le {_le(c.debut)}{ou}. En cas d'imprévu, prévenez votre "
        "référent."
    )
    _prevenir_la_personne(ctx, "Convocation à un rendez-vous", texte, _evenement(s, rdv))
    canaux = _canaux(s, CanalLien.LES_DEUX)
    envoi = " et ".join(canaux) if canaux else "aucun canal : ni téléphone ni courriel connus"
    ctx.noter(
        Categorie.RDV,
        "rdv_convoque",
        f"Convocation le {_quand(c.debut)}{ou} : {c.libelle} ({envoi})",
        ordre.auteur,
        details={"rdv_id": rdv.id, "motif": c.motif},
    )


# The commands this module handles: who may give them, when, and how the cockpit shows them
# (gathered and judged by workflows/transitions.py).
DECLARATIONS: list[Transition] = [
    Transition(
        "planifier_rdv",
        "Planifier un rendez-vous",
        PlanificationRdv,
        OUVERTES,
        REFERENT,
        groupe="rdv",
    ),
    Transition(
        "renseigner_rdv",
        "Renseigner l'issue d'un rendez-vous",
        ResultatRdv,
        OUVERTES,
        REFERENT,
        condition=conditions.rdv_prevu,
        pendant_suspension=True,
        groupe="rdv",
    ),
    Transition(
        "inviter_rdv",
        "Inviter la personne à prendre rendez-vous",
        EnvoiInvitation,
        OUVERTES,
        REFERENT,
        condition=conditions.invitable,
        groupe="rdv",
    ),
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
    Transition(
        "regler_rappels",
        "Suspendre ou reprendre les rappels",
        PauseRappels,
        OUVERTES,
        REFERENT,
        pendant_suspension=True,
        groupe="rdv",
    ),
    Transition(
        "enregistrer_contact",
        "Enregistrer un contact",
        Contact,
        OUVERTES,
        REFERENT_OU_COORDINATION,
        pendant_suspension=True,
        groupe="contact",
    ),
    Transition(
        "planifier_reunion",
        "Planifier une réunion multipartenaire",
        ReunionMultipartenaire,
        OUVERTES,
        REFERENT_OU_COORDINATION,
        pendant_suspension=True,
        groupe="contact",
    ),
]

COMMANDES = {
    "planifier_rdv": Commande(planifier, verifier_planification),
    "renseigner_rdv": Commande(renseigner, verifier_resultat),
    "regler_rappels": Commande(regler_rappels),
    "enregistrer_contact": Commande(contact, verifier_contact),
    "planifier_reunion": Commande(reunion),
    "inviter_rdv": Commande(inviter),
    "reserver_rdv": Commande(reserver_par_la_personne, verifier_reservation),
    "deplacer_rdv": Commande(deplacer_par_la_personne, verifier_deplacement),
    "annuler_rdv": Commande(annuler_par_la_personne, verifier_annulation),
    "convoquer_rdv": Commande(convoquer, verifier_convocation),
}
