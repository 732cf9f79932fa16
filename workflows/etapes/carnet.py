"""The person's carnet links: sending one (each secret drawn by its sending activity),
revoking them, and what a delivered link becomes: a key to the carnet, or, for an invitation's
or a structure's link, the key its own step keeps."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from temporalio import workflow

from schemas.appels import MARQUE_LIEN, Courriel, LienCarnetAEnvoyer, Sms
from schemas.carnet import (
    VALIDITE_JOURS,
    AccesCarnet,
    CanalLien,
    EnvoiLienCarnet,
    RevocationLiensCarnet,
    empreinte,
)
from schemas.common import Acteur, Ordre
from schemas.incident import OperationSortante, TypeOperation
from schemas.parcours import Categorie, ParcoursState
from workflows import conditions
from workflows.declaration import (
    OUVERTES,
    REFERENT,
    REFERENT_OU_COORDINATION,
    CommandeRefusee,
    Transition,
)
from workflows.etapes import invitations, orientation_structure
from workflows.etapes.base import Commande, Contexte

# workflow.patched() ids. Sending a link is a command given many times in a run, and the SDK
# memoizes a patch's answer for the whole run: one id per link, so that a running parcours
# that sent links the old way sends its next one the new way.
LIEN_PAR_ACTIVITE = "lien-carnet-tire-par-l-activite"
# Links made before that change are revoked once, at the first occasion after the deployment
# (a command or the vigie's daily look), an id per attempt for the same reason.
LIENS_ANCIENS_REVOQUES = "liens-carnet-anciens-revoques"


async def envoyer_lien(ctx: Contexte, ordre: Ordre[EnvoiLienCarnet]) -> None:
    if not workflow.patched(f"{LIEN_PAR_ACTIVITE}:{ctx.s.compteurs.get('lien', 0) + 1}"):
        await _envoyer_lien_v1(ctx, ordre)
        return
    e, s = ordre.donnees, ctx.s
    revoquer_liens_anciens(ctx)
    texte = (
        f"Bonjour {s.usager.prenom}, voici le lien de votre carnet de bord, valable "
        f"{VALIDITE_JOURS} jours : {MARQUE_LIEN} . Ne le transmettez à personne."
    )
    canaux = []
    if e.canal in (CanalLien.SMS, CanalLien.LES_DEUX) and s.usager.telephone:
        carnet = _lien_a_envoyer(ctx, e)
        ctx.lancer_operation(
            TypeOperation.ENVOYER_SMS,
            Sms(telephone=s.usager.telephone, texte=texte, carnet=carnet),
        )
        canaux.append("SMS")
    if e.canal in (CanalLien.COURRIEL, CanalLien.LES_DEUX) and s.usager.email:
        carnet = _lien_a_envoyer(ctx, e)
        ctx.lancer_operation(
            TypeOperation.ENVOYER_COURRIEL,
            Courriel(
                destinataire=s.usager.email,
                sujet="Votre carnet de bord",
                texte=texte,
                carnet=carnet,
            ),
        )
        canaux.append("courriel")
    envoi = " et ".join(canaux) or "aucun canal disponible"
    ctx.noter(
        Categorie.DOSSIER,
        "lien_carnet",
        f"Lien du carnet envoyé à la personne ({envoi})",
        ordre.auteur,
    )


def _lien_a_envoyer(ctx: Contexte, e: EnvoiLienCarnet) -> LienCarnetAEnvoyer:
    """One link per message: each channel's secret is drawn by its own sending activity."""
    return LienCarnetAEnvoyer(
        lien_id=f"lien-{ctx.s.next_number('lien')}",
        adresse_publique=e.adresse_publique,
        expire_le=ctx.today() + timedelta(days=VALIDITE_JOURS),
    )


def lien_remis(ctx: Contexte, op: OperationSortante, resultat: dict[str, Any]) -> None:
    """The sending activity delivered a link: from now on its fingerprint opens the carnet."""
    carnet = op.donnees.get("carnet")
    trace = resultat.get("empreinte")
    if not carnet or not isinstance(trace, str):
        return
    lien = LienCarnetAEnvoyer.model_validate(carnet)
    if lien.chemin == "rdv":  # an invitation's booking link, not the carnet's
        invitations.invitation_remise(ctx, lien.lien_id, trace)
        return
    if lien.chemin == orientation_structure.CHEMIN:  # a structure's answer link (ticket 20)
        orientation_structure.lien_remis(ctx, lien.lien_id, trace)
        return
    # Links revoked by a person while this one was on its way: it is revoked with them.
    revocations = [e.enregistre_le for e in ctx.s.timeline if e.code == "liens_carnet_revoques"]
    ctx.s.acces_carnet.append(
        AccesCarnet(
            id=lien.lien_id,
            empreinte=trace,
            cree_le=ctx.now(),
            expire_le=lien.expire_le,
            revoque=any(op.creee_le <= r for r in revocations),
            hors_workflow=True,
        )
    )


def revoquer_liens_anciens(ctx: Contexte) -> None:
    """Revoke every link whose secret came from workflow.uuid4() (guessable from the run id):
    the référent sends a new one with the same command."""
    s = ctx.s
    anciens = [a for a in s.acces_carnet if not a.hors_workflow and not a.revoque]
    if not anciens:
        return
    if not workflow.patched(f"{LIENS_ANCIENS_REVOQUES}:{s.version}"):
        return
    s.acces_carnet = [
        a.model_copy(update={"revoque": True}) if a in anciens else a for a in s.acces_carnet
    ]
    # Their messages still carry the old links: nothing of them is kept in the state.
    s.operations = [
        o.model_copy(update={"donnees": {}})
        if o.type in (TypeOperation.ENVOYER_SMS, TypeOperation.ENVOYER_COURRIEL)
        and "/carnet/" in str(o.donnees)
        else o
        for o in s.operations
    ]
    ctx.noter(
        Categorie.DOSSIER,
        "liens_carnet_anciens_revoques",
        "Liens du carnet désactivés : ils ont été créés avant le renforcement de leur "
        "sécurité. Le référent peut en envoyer un nouveau.",
        Acteur.plateforme(),
    )


async def _envoyer_lien_v1(ctx: Contexte, ordre: Ordre[EnvoiLienCarnet]) -> None:
    """Before LIEN_PAR_ACTIVITE: kept only so that histories of that time replay."""
    e, s = ordre.donnees, ctx.s
    secret = ctx.nouvel_id().replace("-", "") + ctx.nouvel_id().replace("-", "")
    acces = AccesCarnet(
        id=f"lien-{s.next_number('lien')}",
        empreinte=empreinte(secret),
        cree_le=ctx.now(),
        expire_le=ctx.today() + timedelta(days=VALIDITE_JOURS),
    )
    s.acces_carnet.append(acces)
    lien = f"{e.adresse_publique.rstrip('/')}/carnet/{secret}"
    texte = (
        f"Bonjour {s.usager.prenom}, voici le lien de votre carnet de bord, valable "
        f"{VALIDITE_JOURS} jours : {lien} . Ne le transmettez à personne."
    )
    canaux = []
    if e.canal in (CanalLien.SMS, CanalLien.LES_DEUX) and s.usager.telephone:
        ctx.lancer_operation(
            TypeOperation.ENVOYER_SMS, Sms(telephone=s.usager.telephone, texte=texte)
        )
        canaux.append("SMS")
    if e.canal in (CanalLien.COURRIEL, CanalLien.LES_DEUX) and s.usager.email:
        ctx.lancer_operation(
            TypeOperation.ENVOYER_COURRIEL,
            Courriel(destinataire=s.usager.email, sujet="Votre carnet de bord", texte=texte),
        )
        canaux.append("courriel")
    envoi = " et ".join(canaux) or "aucun canal disponible"
    ctx.noter(
        Categorie.DOSSIER,
        "lien_carnet",
        f"Lien du carnet envoyé à la personne ({envoi})",
        ordre.auteur,
        details={"lien": acces.id},
    )


def verifier_lien(s: ParcoursState, e: EnvoiLienCarnet, today: date) -> None:
    voulu = {
        CanalLien.SMS: bool(s.usager.telephone),
        CanalLien.COURRIEL: bool(s.usager.email),
        CanalLien.LES_DEUX: bool(s.usager.telephone or s.usager.email),
    }
    if not voulu[e.canal]:
        canal = e.canal.label[0].lower() + e.canal.label[1:]  # « par SMS », not « par sms »
        raise CommandeRefusee(
            f"Impossible d'envoyer le lien {canal} : coordonnée inconnue", champ="canal"
        )


async def revoquer_liens(ctx: Contexte, ordre: Ordre[RevocationLiensCarnet]) -> None:
    ctx.s.acces_carnet = [a.model_copy(update={"revoque": True}) for a in ctx.s.acces_carnet]
    ctx.noter(
        Categorie.DOSSIER,
        "liens_carnet_revoques",
        f"Liens du carnet désactivés : {ordre.donnees.motif}",
        ordre.auteur,
    )


# The commands this module handles: who may give them, when, and how the cockpit shows them
# (gathered and judged by workflows/transitions.py).
DECLARATIONS: list[Transition] = [
    Transition(
        "envoyer_lien_carnet",
        "Envoyer à la personne le lien de son carnet",
        EnvoiLienCarnet,
        OUVERTES,
        REFERENT,
        condition=conditions.joignable,
        pendant_suspension=True,
        groupe="dossier",
    ),
    Transition(
        "revoquer_liens_carnet",
        "Désactiver les liens du carnet",
        RevocationLiensCarnet,
        OUVERTES,
        REFERENT_OU_COORDINATION,
        condition=conditions.lien_actif,
        pendant_suspension=True,
        groupe="dossier",
    ),
]

COMMANDES = {
    "envoyer_lien_carnet": Commande(envoyer_lien, verifier_lien),
    "revoquer_liens_carnet": Commande(revoquer_liens),
}
