"""The dossier itself: consent, partner identifiers, suspension, coordinator's relance."""

from __future__ import annotations

from datetime import date

from schemas.appels import Courriel
from schemas.common import Ordre
from schemas.incident import TypeOperation
from schemas.parcours import Categorie, ParcoursState
from schemas.rdv import RelanceReferent
from schemas.sortie import Reprise, Suspension
from schemas.usager import Consentement, IdentifiantsPartenaires
from workflows.etapes.base import Commande, Contexte, verifier_jour
from workflows.transitions import CommandeRefusee


def verifier_consentement(s: ParcoursState, c: Consentement, today: date) -> None:
    verifier_jour(s, c.recueilli_le, today, "La date du consentement")


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
    verifier_jour(s, p.le, today, "La date de suspension")
    if p.jusqu_au is not None and p.jusqu_au <= p.le:
        raise CommandeRefusee("La reprise prévue doit suivre la suspension")


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
    verifier_jour(s, r.le, today, "La date de reprise")
    if s.suspension is not None and r.le < s.suspension.le:
        raise CommandeRefusee("La reprise ne peut pas précéder la suspension")


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


COMMANDES = {
    "modifier_consentement": Commande(consentement, verifier_consentement),
    "modifier_identifiants": Commande(identifiants, verifier_identifiants),
    "suspendre_parcours": Commande(suspendre, verifier_suspension),
    "reprendre_parcours": Commande(reprendre, verifier_reprise),
    "relancer_referent": Commande(relancer_referent),
}
