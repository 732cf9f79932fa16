"""Rendez-vous, contacts and multi-partner meetings — and the reminders sent before a rdv."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from core.clock import PARIS, local_day
from schemas.appels import Courriel, Sms
from schemas.common import Acteur, Ordre
from schemas.incident import TypeOperation
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
from schemas.regles import Canal, Rappel
from workflows.etapes.base import Commande, Contexte, jour_fr, verifier_jour
from workflows.transitions import CommandeRefusee


def _quand(d: datetime) -> str:
    local = d.astimezone(PARIS)
    return f"{jour_fr(local.date())} à {local.hour} h {local.minute:02d}"


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
        f"Bonjour {s.usager.prenom}, rappel : rendez-vous le {_quand(rdv.date_heure)}{ou} "
        f"avec {rdv.professionnel}. En cas d'empêchement, prévenez votre référent."
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


COMMANDES = {
    "planifier_rdv": Commande(planifier, verifier_planification),
    "renseigner_rdv": Commande(renseigner, verifier_resultat),
    "regler_rappels": Commande(regler_rappels),
    "enregistrer_contact": Commande(contact, verifier_contact),
    "planifier_reunion": Commande(reunion),
}
