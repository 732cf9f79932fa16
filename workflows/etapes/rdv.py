"""Rendez-vous, contacts and multi-partner meetings. The invitations to book are in
workflows/etapes/invitations.py, the reminders before a rdv in workflows/etapes/rappels.py."""

from __future__ import annotations

from datetime import date

from temporalio import workflow

from core.clock import local_day
from schemas.appels import Courriel
from schemas.common import Ordre
from schemas.incident import TypeOperation
from schemas.parcours import Categorie, ParcoursState
from schemas.rdv import (
    Contact,
    PlanificationRdv,
    Rdv,
    ResultatRdv,
    ReunionMultipartenaire,
    StatutRdv,
)
from schemas.rdv_solidarites import IssueRdvSolidarites
from workflows import conditions
from workflows.declaration import (
    OUVERTES,
    REFERENT,
    REFERENT_OU_COORDINATION,
    CommandeRefusee,
    Transition,
)
from workflows.etapes.base import Commande, Contexte, quand, verifier_jour

# The parcours workflow still reaches these through this module (workflows/parcours.py): they
# moved with the invitations and the reminders.
from workflows.etapes.invitations import relancer_invitation as relancer_invitation
from workflows.etapes.rappels import envoyer_rappel as envoyer_rappel
from workflows.etapes.rappels import rappels_a_venir as rappels_a_venir

SAISIE_TARDIVE_MAX_JOURS = 90
# workflow.patched() id: the référent's outcome of a RDV-Solidarités rdv goes back to the tool.
ISSUE_VERS_RDV_SOLIDARITES = "issue-du-rdv-vers-rdv-solidarites"


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
        f"Rendez-vous {p.mode.label.lower()} le {quand(p.date_heure)} avec {p.professionnel} : {p.objet}",
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
        f"Rendez-vous du {quand(rdv.date_heure)} : {r.statut.label.lower()}{commentaire}",
        ordre.auteur,
        le=min(local_day(rdv.date_heure), ctx.today()),
        details={"rdv_id": rdv.id},
        interaction=r.statut == StatutRdv.HONORE,
    )
    # --- rdv dans l'outil externe --- the tool keeps « unknown » until told: its statistics and
    # reminders (and RDV-Insertion's) read the outcome there. Only rdvs that came from it have a
    # participation; an outcome that came from the tool takes appliquer_resultat alone.
    if rdv.participation_id is not None and workflow.patched(ISSUE_VERS_RDV_SOLIDARITES):
        ctx.lancer_operation(
            TypeOperation.TRANSMETTRE_ISSUE_RDV_SOLIDARITES,
            IssueRdvSolidarites(
                rdv_id=rdv.id, participation_id=rdv.participation_id, statut=r.statut
            ),
        )


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
        f"Réunion multipartenaire le {quand(r.date_heure)} ({', '.join(r.organismes)}) : {r.objet}",
        ordre.auteur,
    )
    if ctx.s.referent is not None:
        ctx.lancer_operation(
            TypeOperation.ENVOYER_COURRIEL,
            Courriel(
                destinataire=f"compte:{ctx.s.referent.referent.id}",
                sujet="Réunion multipartenaire planifiée",
                texte=f"{ordre.auteur.nom} a planifié une réunion le {quand(r.date_heure)} "
                f"pour le parcours {ctx.s.parcours_id[:8].upper()} : {r.objet}.",
            ),
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
    "enregistrer_contact": Commande(contact, verifier_contact),
    "planifier_reunion": Commande(reunion),
}
