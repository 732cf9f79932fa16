"""The dossier itself: consent, partner identifiers, suspension, coordinator's relance."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from schemas.appels import Courriel, Sms
from schemas.carnet import (
    VALIDITE_JOURS,
    AccesCarnet,
    CanalLien,
    EnvoiLienCarnet,
    RevocationLiensCarnet,
)
from schemas.common import Ordre
from schemas.incident import TypeOperation
from schemas.parcours import Categorie, ParcoursState
from schemas.rdv import RelanceReferent
from schemas.sortie import Reprise, Suspension
from schemas.usager import Consentement, IdentifiantsPartenaires, RectificationIdentite
from workflows.etapes.base import Commande, Contexte, verifier_jour
from workflows.transitions import CommandeRefusee


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
            "La date de naissance rectifiée donnerait moins de 16 ans à l'accueil"
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


async def envoyer_lien(ctx: Contexte, ordre: Ordre[EnvoiLienCarnet]) -> None:
    e, s = ordre.donnees, ctx.s
    secret = ctx.nouvel_id().replace("-", "") + ctx.nouvel_id().replace("-", "")
    acces = AccesCarnet(
        id=f"lien-{s.next_number('lien')}",
        empreinte=hashlib.sha256(secret.encode()).hexdigest(),
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
        raise CommandeRefusee(
            f"Impossible d'envoyer le lien {e.canal.label.lower()} : coordonnée inconnue"
        )


async def revoquer_liens(ctx: Contexte, ordre: Ordre[RevocationLiensCarnet]) -> None:
    ctx.s.acces_carnet = [a.model_copy(update={"revoque": True}) for a in ctx.s.acces_carnet]
    ctx.noter(
        Categorie.DOSSIER,
        "liens_carnet_revoques",
        f"Liens du carnet désactivés : {ordre.donnees.motif}",
        ordre.auteur,
    )


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
