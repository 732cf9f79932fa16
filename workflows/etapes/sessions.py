"""A collective session's organiser and the parcours of the people registered to it (issue 18,
item 3). The organiser is, most of the time, not the person's référent: ``renseigner_rdv`` is
the référent's, so the attendance they typed for everyone stayed with the session and never
reached the parcours of the people other référents registered. These two commands are theirs,
for the one appointment each registration became (its ``reservation_id``) and nothing else of
the dossier: the attendance, and the session's cancellation told to the person."""

from __future__ import annotations

from datetime import date

from temporalio import workflow

from core.clock import local_day
from schemas.appels import CourrierAnnulation
from schemas.carnet import CanalLien
from schemas.common import Ordre
from schemas.incident import TypeOperation
from schemas.parcours import Categorie, ParcoursState
from schemas.rdv import Rdv, ResultatRdv, StatutRdv
from schemas.session_collective import AnnulationSession, DesinscriptionSession, PresenceSession
from workflows.declaration import (
    ANIMATEUR,
    OUVERTES,
    CommandeRefusee,
    Transition,
    inscription_animee,
)
from workflows.etapes import rdv as rdvs
from workflows.etapes.base import Commande, Contexte, quand, quand_message
from workflows.etapes.invitations import canaux_de
from workflows.etapes.reservations import _evenement, _prevenir_la_personne, _prevenir_le_referent

# workflow.patched() id: the organiser of a collective session records the attendance and
# cancels the session in the parcours of each registered person (before: only their référent).
PAR_L_ANIMATEUR = "session-collective-par-son-animateur"


def _rdv_de(s: ParcoursState, inscription_id: str) -> Rdv:
    rdv = next((r for r in s.rdvs if r.reservation_id == inscription_id), None)
    if rdv is None:
        raise CommandeRefusee("Aucun rendez-vous de cette session dans le parcours")
    return rdv


def _son_inscription(
    ctx: Contexte,
    ordre: Ordre[PresenceSession] | Ordre[AnnulationSession] | Ordre[DesinscriptionSession],
) -> Rdv:
    """The animator acts on the registration they act for, never on another appointment."""
    if inscription_animee(ordre.auteur) != ordre.donnees.inscription_id:
        raise CommandeRefusee("Ce rendez-vous n'est pas celui de cette session")
    workflow.patched(PAR_L_ANIMATEUR)  # marks the histories that hold these commands
    return _rdv_de(ctx.s, ordre.donnees.inscription_id)


def verifier_presence(s: ParcoursState, p: PresenceSession, today: date) -> None:
    rdv = _rdv_de(s, p.inscription_id)
    rdvs.verifier_resultat(s, ResultatRdv(rdv_id=rdv.id, statut=p.statut), today)


async def noter_presence(ctx: Contexte, ordre: Ordre[PresenceSession]) -> None:
    """Exactly what ``renseigner_rdv`` does (the vigie counts it the same), said in the
    timeline as the animator's."""
    p = ordre.donnees
    rdv = rdvs.appliquer_resultat(ctx, _son_inscription(ctx, ordre).id, p.statut, ordre.auteur.nom)
    ctx.noter(
        Categorie.RDV,
        f"rdv_{p.statut.value}",
        f"Rendez-vous du {quand(rdv.date_heure)} : {p.statut.label.lower()} — présence notée "
        f"par l'animateur de la session « {p.session} »",
        ordre.auteur,
        le=min(local_day(rdv.date_heure), ctx.today()),
        details={"rdv_id": rdv.id},
        interaction=p.statut == StatutRdv.HONORE,
    )


def verifier_annulation(
    s: ParcoursState, a: AnnulationSession | DesinscriptionSession, today: date
) -> None:
    if _rdv_de(s, a.inscription_id).statut != StatutRdv.PREVU:
        raise CommandeRefusee("Ce rendez-vous n'est plus prévu")


def texte_d_annulation(prenom: str, rdv: Rdv, motif: str) -> str:
    """What the person receives: agendas/gabarits/annulation_session.txt, word for word
    (tests/agendas/test_gabarits.py)."""
    return (
        f"Bonjour {prenom}, l'information collective du {quand_message(rdv.date_heure)} est "
        f"annulée : {motif}. Votre référent vous proposera une autre date."
    )


# workflow.patched() id: a person with neither phone nor e-mail, but an address, gets a letter
# (PDF among the documents, for the référent to post) when the session is cancelled; before,
# only the référent was told to warn them.
COURRIER_D_ANNULATION = "session-collective-courrier-d-annulation"
SANS_CANAL = "aucun canal : ni téléphone ni courriel connus, prévenez la personne"
SANS_ADRESSE = (
    "aucun canal : ni téléphone, ni courriel, ni adresse postale connus, prévenez la personne"
)
COURRIER_JOINT = "courrier à imprimer et poster, joint aux documents du parcours"


def _prevenir(
    ctx: Contexte, sujet: str, texte: str, rdv: Rdv, session: str, raison: str | None
) -> str:
    """SMS and e-mail (with the .ics that removes the event) by the channels the person has,
    else the letter the référent posts, else nothing: what the timeline says of it. No
    ``raison``: the person alone is withdrawn, the session goes on."""
    s = ctx.s
    _prevenir_la_personne(ctx, sujet, texte, _evenement(s, rdv, annule=True))
    canaux = canaux_de(s, CanalLien.LES_DEUX)
    if canaux:
        return f"personne prévenue par {' et '.join(canaux)}"
    if not workflow.patched(COURRIER_D_ANNULATION):
        return SANS_CANAL
    if not s.usager.adresse:
        return SANS_ADRESSE
    ctx.lancer_operation(
        TypeOperation.PRODUIRE_COURRIER_ANNULATION,
        CourrierAnnulation(
            prenom=s.usager.prenom,
            nom=s.usager.nom,
            adresse=s.usager.adresse,
            code_postal=s.usager.code_postal,
            commune=s.usager.commune,
            session=session,
            debut=rdv.date_heure,
            lieu=rdv.lieu,
            raison=raison,
            desinscription=raison is None,
            referent_id=s.referent.referent.id if s.referent else "",
            referent=s.referent.referent.nom if s.referent else "Votre référent",
        ),
    )
    return COURRIER_JOINT


async def annuler(ctx: Contexte, ordre: Ordre[AnnulationSession]) -> None:
    """The appointment is cancelled (as a cancellation today: the vigie counts no absence),
    the person told by SMS and e-mail (with the .ics that removes the event), or by a letter the
    référent posts; the référent is told too — and tells the person by other means when
    nothing reaches them."""
    a, s = ordre.donnees, ctx.s
    avant = _son_inscription(ctx, ordre)
    index = s.rdvs.index(avant)
    rdv = avant.model_copy(update={"statut": StatutRdv.ANNULE})
    s.rdvs[index] = rdv
    envoi = _prevenir(
        ctx,
        "Votre réunion d'information collective est annulée",
        texte_d_annulation(s.usager.prenom, rdv, a.motif),
        rdv,
        a.session,
        a.motif,
    )
    libelle = (
        f"Session « {a.session} » du {quand(rdv.date_heure)} annulée par son animateur : "
        f"{a.motif} ({envoi})"
    )
    _prevenir_le_referent(ctx, "Session collective annulée", libelle)
    ctx.noter(
        Categorie.RDV, "rdv_annule_session", libelle, ordre.auteur, details={"rdv_id": rdv.id}
    )


# workflow.patched() id: a withdrawal from a collective session is told to the person (SMS and
# e-mail with the .ics that removes the event, or a letter); before, the référent's
# ``renseigner_rdv`` marked the appointment « annulé » and nobody was told.
DESINSCRIPTION_PREVENUE = "session-collective-desinscription-prevenue"


def texte_de_desinscription(prenom: str, rdv: Rdv) -> str:
    """agendas/gabarits/desinscription_session.txt, word for word
    (tests/agendas/test_gabarits.py)."""
    return (
        f"Bonjour {prenom}, votre inscription à l'information collective du "
        f"{quand_message(rdv.date_heure)} est annulée. Pour toute question, contactez votre "
        "référent."
    )


async def desinscrire(ctx: Contexte, ordre: Ordre[DesinscriptionSession]) -> None:
    """The person is withdrawn, the session goes on: the appointment is cancelled (no absence
    for the vigie) and the person told by the channels they have, or by a letter; their
    référent is told when the organiser did it."""
    d, s = ordre.donnees, ctx.s
    avant = _son_inscription(ctx, ordre)
    workflow.patched(DESINSCRIPTION_PREVENUE)  # marks the histories that hold this command
    index = s.rdvs.index(avant)
    rdv = avant.model_copy(update={"statut": StatutRdv.ANNULE})
    s.rdvs[index] = rdv
    envoi = _prevenir(
        ctx,
        "Votre inscription à l'information collective est annulée",
        texte_de_desinscription(s.usager.prenom, rdv),
        rdv,
        d.session,
        None,
    )
    par = "par l'organisateur de la session" if d.par_l_organisateur else "par son référent"
    libelle = (
        f"Désinscription {par} de la session « {d.session} » du {quand(rdv.date_heure)} ({envoi})"
    )
    if d.par_l_organisateur:
        _prevenir_le_referent(ctx, "Désinscription d'une session collective", libelle)
    ctx.noter(
        Categorie.RDV, "rdv_desinscrit_session", libelle, ordre.auteur, details={"rdv_id": rdv.id}
    )


DECLARATIONS: list[Transition] = [
    Transition(
        "noter_presence_session",
        "Noter la présence à une session collective (par son animateur)",
        PresenceSession,
        OUVERTES,
        ANIMATEUR,
        pendant_suspension=True,
        groupe="rdv",
    ),
    Transition(
        "annuler_rdv_session",
        "Annuler une session collective (par son animateur)",
        AnnulationSession,
        OUVERTES,
        ANIMATEUR,
        pendant_suspension=True,
        groupe="rdv",
    ),
    # From the session's route only: the service checked that the account is the person's
    # référent or the session's organiser, then acts for the registration.
    Transition(
        "desinscrire_session",
        "Désinscrire la personne d'une session collective",
        DesinscriptionSession,
        OUVERTES,
        ANIMATEUR,
        pendant_suspension=True,
        groupe="rdv",
    ),
]

COMMANDES = {
    "noter_presence_session": Commande(noter_presence, verifier_presence),
    "annuler_rdv_session": Commande(annuler, verifier_annulation),
    "desinscrire_session": Commande(desinscrire, verifier_annulation),
}
