"""A message from the référent to the person: sent like the reminders (an outgoing operation,
retried, turned into an incident when the gateway refuses), recorded in the timeline without
its secret part. Sending a message is not a contact: no rupture rule hears of it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from core.clock import PARIS
from schemas.appels import MARQUE_LIEN, Courriel, LienCarnetAEnvoyer, Sms
from schemas.carnet import VALIDITE_JOURS
from schemas.common import Ordre
from schemas.incident import TypeOperation
from schemas.messages import (
    CHAMPS,
    CanalMessage,
    MessageUsager,
    champs_inconnus,
    remplir,
    sans_secret,
)
from schemas.parcours import Categorie, ParcoursState
from schemas.rdv import StatutRdv
from workflows import conditions
from workflows.declaration import OUVERTES, REFERENT, CommandeRefusee, Transition
from workflows.etapes.base import Commande, Contexte, quand_message

SMS_MAX = 640  # what the SMS gateway's call accepts (schemas.appels.Sms)


def valeurs(s: ParcoursState, now: datetime) -> dict[str, str | None]:
    """What each field of a template becomes for this person today (None: nothing to say)."""
    a_venir = sorted(
        (r for r in s.rdvs if r.statut == StatutRdv.PREVU and r.date_heure > now),
        key=lambda r: r.date_heure,
    )
    return {
        "prenom": s.usager.prenom,
        "nom": s.usager.nom,
        "referent": s.referent.referent.nom if s.referent else None,
        "prochain_rdv": quand_message(a_venir[0].date_heure) if a_venir else None,
    }


def verifier_texte(s: ParcoursState, m: MessageUsager, now: datetime) -> str:
    """The filled text, or a refusal that names the field to correct."""
    if m.canal == CanalMessage.SMS and not s.usager.telephone:
        raise CommandeRefusee("Aucun téléphone connu pour envoyer un SMS", champ="canal")
    if m.canal == CanalMessage.COURRIEL and not s.usager.email:
        raise CommandeRefusee("Aucune adresse électronique connue pour un courriel", champ="canal")
    if m.canal == CanalMessage.COURRIEL and len(m.sujet.strip()) < 3:
        raise CommandeRefusee("Donnez un objet au courriel (3 caractères au moins)", champ="sujet")
    if inconnus := champs_inconnus(m.texte):
        connus = ", ".join(f"{{{c}}}" for c in CHAMPS)
        raise CommandeRefusee(
            f"Champ inconnu : {{{inconnus[0]}}} (champs possibles : {connus})", champ="texte"
        )
    texte, manquants = remplir(m.texte, valeurs(s, now))
    if manquants:
        raise CommandeRefusee(
            f"Le dossier ne dit rien pour {{{manquants[0]}}} ({CHAMPS[manquants[0]]}) : "
            "retirez ce champ du message",
            champ="texte",
        )
    if m.canal == CanalMessage.SMS and len(texte) > SMS_MAX:
        raise CommandeRefusee(
            f"Un SMS ne peut dépasser {SMS_MAX} caractères une fois les champs remplis",
            champ="texte",
        )
    return texte


def verifier(s: ParcoursState, m: MessageUsager, today: date) -> None:
    # The validator has no clock of the run: the rendez-vous to come are those from today on.
    verifier_texte(s, m, datetime.combine(today, time.min, tzinfo=PARIS))


async def envoyer(ctx: Contexte, ordre: Ordre[MessageUsager]) -> None:
    m, s = ordre.donnees, ctx.s
    texte = verifier_texte(s, m, ctx.now())
    carnet = (
        LienCarnetAEnvoyer(
            lien_id=f"lien-{s.next_number('lien')}",
            adresse_publique=m.adresse_publique,
            expire_le=ctx.today() + timedelta(days=VALIDITE_JOURS),
        )
        if MARQUE_LIEN in texte
        else None
    )
    if m.canal == CanalMessage.SMS:
        assert s.usager.telephone is not None
        ctx.lancer_operation(
            TypeOperation.ENVOYER_SMS,
            Sms(telephone=s.usager.telephone, texte=texte, carnet=carnet),
        )
    else:
        assert s.usager.email is not None
        ctx.lancer_operation(
            TypeOperation.ENVOYER_COURRIEL,
            Courriel(destinataire=s.usager.email, sujet=m.sujet, texte=texte, carnet=carnet),
        )
    ctx.noter(
        Categorie.NOTIFICATION,
        "message_usager",
        f"{'SMS' if m.canal == CanalMessage.SMS else 'Courriel'} envoyé à la personne : "
        f"« {sans_secret(texte)} »",
        ordre.auteur,
        details={"canal": m.canal.value, "modele": m.modele.value},
    )


# The commands this module handles: who may give them, when, and how the cockpit shows them
# (gathered and judged by workflows/transitions.py).
DECLARATIONS: list[Transition] = [
    Transition(
        "envoyer_message",
        "Envoyer un message à la personne",
        MessageUsager,
        OUVERTES,
        REFERENT,
        condition=conditions.joignable,
        pendant_suspension=True,
        groupe="contact",
    ),
]

COMMANDES = {"envoyer_message": Commande(envoyer, verifier)}
