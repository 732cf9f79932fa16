"""The dossier itself: consent, partner identifiers, identity, suspension, coordinator's
relance. The person's carnet links are in workflows/etapes/carnet.py."""

from __future__ import annotations

from datetime import date

from schemas.appels import Courriel
from schemas.common import Ordre
from schemas.incident import TypeOperation
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
from workflows.etapes.base import Commande, Contexte, verifier_jour

# The parcours workflow still reaches these two through this module (workflows/parcours.py):
# they moved with the carnet's links.
from workflows.etapes.carnet import lien_remis as lien_remis
from workflows.etapes.carnet import revoquer_liens_anciens as revoquer_liens_anciens


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
    "modifier_consentement": Commande(consentement, verifier_consentement),
    "modifier_identifiants": Commande(identifiants, verifier_identifiants),
    "suspendre_parcours": Commande(suspendre, verifier_suspension),
    "reprendre_parcours": Commande(reprendre, verifier_reprise),
    "relancer_referent": Commande(relancer_referent),
}
