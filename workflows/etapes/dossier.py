"""The dossier itself: consent, partner identifiers, suspension, coordinator's relance."""

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
from schemas.rdv import RelanceReferent
from schemas.sortie import Reprise, Suspension
from schemas.usager import Consentement, IdentifiantsPartenaires, RectificationIdentite
from workflows import conditions
from workflows.declaration import (
    COORDINATION,
    OUVERTES,
    REFERENT,
    REFERENT_OU_COORDINATION,
    CommandeRefusee,
    Transition,
)
from workflows.etapes import orientation_structure, rdv
from workflows.etapes.base import Commande, Contexte, verifier_jour


def verifier_consentement(s: ParcoursState, c: Consentement, today: date) -> None:
    verifier_jour(s, c.recueilli_le, today, "La date du consentement", "recueilli_le")


async def consentement(ctx: Contexte, ordre: Ordre[Consentement]) -> None:
    c = ordre.donnees
    avant = ctx.s.consentement
    ctx.s.consentement = c
    changes = []
    if avant.partage_partenaires != c.partage_partenaires:
        changes.append(
            "partage avec les partenaires " + ("accordé" if c.partage_partenaires else "retiré")
        )
    if avant.themes_sensibles != c.themes_sensibles:
        changes.append(
            "informations sensibles " + ("accordées" if c.themes_sensibles else "retirées")
        )
    ctx.noter(
        Categorie.DOSSIER,
        "consentement",
        "Consentement modifié : " + (", ".join(changes) if changes else "sans changement"),
        ordre.auteur,
        le=c.recueilli_le,
    )


def verifier_identifiants(s: ParcoursState, i: IdentifiantsPartenaires, today: date) -> None:
    if i == s.identifiants:
        raise CommandeRefusee("Les identifiants sont inchangés")


async def identifiants(ctx: Contexte, ordre: Ordre[IdentifiantsPartenaires]) -> None:
    avant = dict(ctx.s.identifiants.pairs())
    ctx.s.identifiants = ordre.donnees
    apres = dict(ordre.donnees.pairs())
    changed = sorted(k for k in set(avant) | set(apres) if avant.get(k) != apres.get(k))
    ctx.noter(
        Categorie.DOSSIER,
        "identifiants",
        f"Identifiants partenaires mis à jour : {', '.join(changed)}",
        ordre.auteur,
    )


def verifier_suspension(s: ParcoursState, p: Suspension, today: date) -> None:
    verifier_jour(s, p.le, today, "La date de suspension", "le")
    if p.jusqu_au is not None and p.jusqu_au <= p.le:
        raise CommandeRefusee("La reprise prévue doit suivre la suspension", champ="jusqu_au")


async def suspendre(ctx: Contexte, ordre: Ordre[Suspension]) -> None:
    ctx.s.suspension = ordre.donnees
    ctx.noter(
        Categorie.DOSSIER,
        "suspension",
        f"Parcours suspendu : {ordre.donnees.motif}",
        ordre.auteur,
        le=ordre.donnees.le,
    )


def verifier_reprise(s: ParcoursState, r: Reprise, today: date) -> None:
    verifier_jour(s, r.le, today, "La date de reprise", "le")
    if s.suspension is not None and r.le < s.suspension.le:
        raise CommandeRefusee("La reprise ne peut pas précéder la suspension", champ="le")


async def reprendre(ctx: Contexte, ordre: Ordre[Reprise]) -> None:
    ctx.s.suspension = None
    ctx.noter(
        Categorie.DOSSIER,
        "reprise",
        "Parcours repris",
        ordre.auteur,
        le=ordre.donnees.le,
        interaction=True,
    )


async def relancer_referent(ctx: Contexte, ordre: Ordre[RelanceReferent]) -> None:
    s = ctx.s
    ctx.noter(
        Categorie.DOSSIER,
        "relance_referent",
        f"Relance du référent : {ordre.donnees.message}",
        ordre.auteur,
    )
    if s.referent is not None:
        ctx.lancer_operation(
            TypeOperation.ENVOYER_COURRIEL,
            Courriel(
                destinataire=f"compte:{s.referent.referent.id}",
                sujet=f"Relance sur le parcours {s.parcours_id[:8].upper()}",
                texte=f"{ordre.auteur.nom} vous relance : {ordre.donnees.message}",
            ),
        )


def verifier_rectification(s: ParcoursState, r: RectificationIdentite, today: date) -> None:
    if r.usager == s.usager:
        raise CommandeRefusee("Aucune donnée n'a changé")
    if r.usager.age_le(s.ouvert_le) < 16:
        raise CommandeRefusee(
            "La date de naissance rectifiée donnerait moins de 16 ans à l'accueil",
            champ="usager.date_naissance",
        )


async def rectifier(ctx: Contexte, ordre: Ordre[RectificationIdentite]) -> None:
    r, s = ordre.donnees, ctx.s
    avant, apres = s.usager.model_dump(), r.usager.model_dump()
    champs = [LIBELLES_USAGER.get(k, k) for k in apres if apres[k] != avant.get(k)]
    s.usager = r.usager
    s.accueil = s.accueil.model_copy(update={"usager": r.usager})
    # The values themselves stay out of the timeline: it lists what changed, and why.
    ctx.noter(
        Categorie.DOSSIER,
        "rectification",
        f"Rectification ({', '.join(champs)}) : {r.motif}",
        ordre.auteur,
    )


LIBELLES_USAGER = {
    "nom": "nom",
    "prenom": "prénom",
    "date_naissance": "date de naissance",
    "telephone": "téléphone",
    "email": "courriel",
    "adresse": "adresse",
    "code_postal": "code postal",
    "commune": "commune",
}


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
        rdv.invitation_remise(ctx, lien.lien_id, trace)
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
        "modifier_consentement",
        "Modifier le consentement",
        Consentement,
        OUVERTES,
        REFERENT,
        pendant_suspension=True,
        groupe="dossier",
    ),
    Transition(
        "modifier_identifiants",
        "Modifier les identifiants partenaires",
        IdentifiantsPartenaires,
        OUVERTES,
        REFERENT_OU_COORDINATION,
        pendant_suspension=True,
        groupe="dossier",
    ),
    Transition(
        "suspendre_parcours",
        "Suspendre le parcours",
        Suspension,
        OUVERTES,
        REFERENT_OU_COORDINATION,
        condition=conditions.non_suspendu,
        groupe="dossier",
    ),
    Transition(
        "reprendre_parcours",
        "Reprendre le parcours",
        Reprise,
        OUVERTES,
        REFERENT_OU_COORDINATION,
        condition=conditions.suspendu,
        pendant_suspension=True,
        groupe="dossier",
    ),
    Transition(
        "rectifier_identite",
        "Rectifier l'identité ou les coordonnées",
        RectificationIdentite,
        OUVERTES,
        REFERENT_OU_COORDINATION,
        pendant_suspension=True,
        groupe="dossier",
    ),
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
    Transition(
        "relancer_referent",
        "Relancer le référent",
        RelanceReferent,
        OUVERTES,
        COORDINATION,
        pendant_suspension=True,
        groupe="coordination",
    ),
]

COMMANDES = {
    "rectifier_identite": Commande(rectifier, verifier_rectification),
    "envoyer_lien_carnet": Commande(envoyer_lien, verifier_lien),
    "revoquer_liens_carnet": Commande(revoquer_liens),
    "modifier_consentement": Commande(consentement, verifier_consentement),
    "modifier_identifiants": Commande(identifiants, verifier_identifiants),
    "suspendre_parcours": Commande(suspendre, verifier_suspension),
    "reprendre_parcours": Commande(reprendre, verifier_reprise),
    "relancer_referent": Commande(relancer_referent),
}
