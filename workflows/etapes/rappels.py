"""The reminders sent to the person before a planned appointment, and the référent's pause
of them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from core.clock import PARIS, local_day
from schemas.appels import Courriel, Sms
from schemas.common import Acteur, Ordre
from schemas.incident import TypeOperation
from schemas.parcours import Categorie, ParcoursState
from schemas.rdv import ModeRdv, PauseRappels, Rdv, StatutRdv
from schemas.regles import Canal, Rappel
from workflows.declaration import OUVERTES, REFERENT, Transition
from workflows.etapes.base import Commande, Contexte, quand, quand_message


async def regler_rappels(ctx: Contexte, ordre: Ordre[PauseRappels]) -> None:
    p = ordre.donnees
    ctx.s.rappels_en_pause = p.motif if p.active else None
    libelle = f"Rappels suspendus : {p.motif}" if p.active else "Rappels repris"
    ctx.noter(Categorie.RDV, "rappels", libelle, ordre.auteur)


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
        f"Bonjour {s.usager.prenom}, rappel : rendez-vous le {quand_message(rdv.date_heure)}{ou} "
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
        f"Rappel {rappel.code.upper()} du rendez-vous du {quand(rdv.date_heure)} ({envoi})",
        Acteur.plateforme(),
        details={"rdv_id": rdv.id, "rappel": rappel.code},
    )


# The commands this module handles: who may give them, when, and how the cockpit shows them
# (gathered and judged by workflows/transitions.py).
DECLARATIONS: list[Transition] = [
    Transition(
        "regler_rappels",
        "Suspendre ou reprendre les rappels",
        PauseRappels,
        OUVERTES,
        REFERENT,
        pendant_suspension=True,
        groupe="rdv",
    ),
]

COMMANDES = {
    "regler_rappels": Commande(regler_rappels),
}
