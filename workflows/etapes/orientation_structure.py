"""The orientation sent to the structure of a prescribed service, and the structure's answer
(ticket 20, item 2). Like DORA's orientations (schemas/orientation_structure.py): an e-mail
to the service's contact carries a link (no account needed); its page shows the details the
person consented to share, the référent's contact and the motive, and records the answer.
The link's secret is drawn by the sending activity; only its fingerprint comes back here."""

from __future__ import annotations

from datetime import date, timedelta

from rules.calendrier import ajouter
from schemas.action import ACTIONS_CLOSES, Action, StatutAction
from schemas.appels import MARQUE_LIEN, Courriel, LienCarnetAEnvoyer
from schemas.common import Acteur, Ordre
from schemas.incident import TypeOperation
from schemas.orientation_structure import (
    OrientationStructure,
    ReponseStructure,
    StatutOrientation,
)
from schemas.parcours import Categorie, ParcoursState
from schemas.regles import Delai
from workflows.declaration import OUVERTES, STRUCTURE, CommandeRefusee, Transition
from workflows.etapes.base import Commande, Contexte, jour_fr

# workflow.patched() id: prescribing a service now also sends the orientation to its structure.
ORIENTATION_VERS_LA_STRUCTURE = "orientation-envoyee-a-la-structure"
EXPIRATION_PAR_DEFAUT = Delai(valeur=30)  # DORA's default; a rules snapshot without the rule
CHEMIN = "orientation"


def expiration(s: ParcoursState, envoyee_le: date) -> date:
    """The day the link stops working and the vigie's « orientation_expiree » starts."""
    regle = s.regles.regle("orientation_expiree") if s.regles else None
    delai = regle.delai if regle and regle.delai else EXPIRATION_PAR_DEFAUT
    return ajouter(envoyee_le, delai, s.regles.jours_feries if s.regles else [])


def adresser(ctx: Contexte, index: int, auteur: Acteur) -> None:
    """Send the structure its request, when the person agreed to share and the catalogue
    gives the service's e-mail; otherwise say in the timeline why nothing was sent."""
    s = ctx.s
    action = s.actions[index]
    p = action.prescription
    courriel, adresse = p.courriel_structure, p.adresse_publique
    raison = None
    if not s.consentement.partage_partenaires:
        raison = "la personne n'a pas consenti au partage avec les partenaires"
    elif not courriel or not adresse:
        raison = "le catalogue ne donne pas de courriel pour ce service"
    if raison is not None or not courriel or not adresse:
        ctx.noter(
            Categorie.ACTION,
            "orientation_non_transmise",
            f"Orientation non transmise à {p.structure} : {raison}",
            auteur,
            details={"action_id": action.id},
        )
        return
    orientation = OrientationStructure(envoyee_le=ctx.today(), expire_le=expiration(s, ctx.today()))
    s.actions[index] = action.model_copy(update={"orientation": orientation})
    veille = jour_fr(orientation.expire_le - timedelta(days=1))
    ctx.lancer_operation(
        TypeOperation.ENVOYER_COURRIEL,
        Courriel(
            destinataire=courriel,
            sujet=f"Demande d'orientation pour le service « {p.libelle} »",
            texte=(
                f"Bonjour,\n\n{auteur.nom} vous adresse une personne pour le service « {p.libelle} » "
                f"({p.structure}).\n\nPour voir la demande, contacter le référent et y répondre "
                f"(accepter avec une date d'entrée ou refuser avec un motif), ouvrez ce lien "
                f"personnel, valable jusqu'au {veille}, sans compte à créer :\n"
                f"{MARQUE_LIEN}\n\nNe transférez pas ce lien : il donne accès à la demande."
            ),
            carnet=LienCarnetAEnvoyer(
                lien_id=f"{action.id}:orientation",
                adresse_publique=adresse,
                expire_le=orientation.expire_le,
                chemin=CHEMIN,
            ),
        ),
    )
    ctx.noter(
        Categorie.ACTION,
        "orientation_envoyee",
        f"Orientation envoyée à {p.structure} par courriel, réponse attendue d'ici le {veille}",
        auteur,
        details={"action_id": action.id},
    )


def lien_remis(ctx: Contexte, lien_id: str, empreinte: str) -> None:
    """The e-mail left: from now on its link's fingerprint opens the answer page."""
    action_id = lien_id.split(":", 1)[0]
    for i, a in enumerate(ctx.s.actions):
        o = a.orientation
        if a.id == action_id and o is not None and empreinte not in o.empreintes:
            orientation = o.model_copy(update={"empreintes": [*o.empreintes, empreinte]})
            ctx.s.actions[i] = a.model_copy(update={"orientation": orientation})


def _action(s: ParcoursState, action_id: str) -> Action | None:
    return next((a for a in s.actions if a.id == action_id), None)


def verifier_reponse(s: ParcoursState, r: ReponseStructure, today: date) -> None:
    action = _action(s, r.action_id)
    o = action.orientation if action is not None else None
    if action is None or o is None or o.statut != StatutOrientation.OUVERTE:
        raise CommandeRefusee("Cette demande d'orientation n'attend plus de réponse")
    if action.statut in ACTIONS_CLOSES or o.expire_le <= today:
        raise CommandeRefusee("Cette demande d'orientation n'attend plus de réponse")
    if r.decision == "acceptee" and (r.debut_le is None or r.debut_le < today):
        raise CommandeRefusee("Indiquez une date d'entrée à partir d'aujourd'hui", champ="debut_le")
    if r.decision == "refusee" and not r.motifs_refus:
        raise CommandeRefusee("Cochez au moins un motif de refus", champ="motifs_refus")


async def repondre(ctx: Contexte, ordre: Ordre[ReponseStructure]) -> None:
    r, s = ordre.donnees, ctx.s
    index = next(i for i, a in enumerate(s.actions) if a.id == r.action_id)
    action = s.actions[index]
    assert action.orientation is not None
    p, today = action.prescription, ctx.today()
    if r.decision == "acceptee":
        assert r.debut_le is not None
        orientation = action.orientation.model_copy(
            update={
                "statut": StatutOrientation.VALIDEE,
                "repondue_le": today,
                "debut_le": r.debut_le,
                "precisions": r.precisions,
            }
        )
        libelle = f"Orientation acceptée par {p.structure} : entrée le {jour_fr(r.debut_le)}"
        update = {"statut": StatutAction.PREVUE, "commentaire": libelle}
    else:
        orientation = action.orientation.model_copy(
            update={
                "statut": StatutOrientation.REFUSEE,
                "repondue_le": today,
                "motifs_refus": r.motifs_refus,
                "precisions": r.precisions,
            }
        )
        libelle = f"Orientation refusée par {p.structure}"
        update = {"statut": StatutAction.ANNULEE, "commentaire": libelle}
    s.actions[index] = action.model_copy(
        update={**update, "orientation": orientation, "mis_a_jour_le": today}
    )
    if s.referent is not None:  # in the app, and by e-mail: the référent need not watch
        ctx.lancer_operation(
            TypeOperation.ENVOYER_COURRIEL,
            Courriel(
                destinataire=f"compte:{s.referent.referent.id}",
                sujet=f"Réponse de {p.structure} à votre orientation",
                texte=f"{libelle} (service « {p.libelle} »).",
                lien=f"/parcours/{s.parcours_id}",
            ),
        )
    ctx.noter(
        Categorie.ACTION,
        f"orientation_{orientation.statut.value}",
        libelle,
        ordre.auteur,
        details={"action_id": action.id, "decision": r.decision},
        interaction=True,
    )


def expirer(ctx: Contexte, action_id: str) -> None:
    """The vigie's « orientation_expiree » was raised: the orientation is closed unanswered."""
    s = ctx.s
    index = next((i for i, a in enumerate(s.actions) if a.id == action_id), None)
    if index is None:
        return
    action = s.actions[index]
    o = action.orientation
    if o is None or o.statut != StatutOrientation.OUVERTE:
        return
    s.actions[index] = action.model_copy(
        update={
            "orientation": o.model_copy(update={"statut": StatutOrientation.EXPIREE}),
            "statut": StatutAction.ANNULEE,
            "commentaire": f"Orientation expirée sans réponse de {action.prescription.structure}",
            "mis_a_jour_le": ctx.today(),
        }
    )
    ctx.noter(
        Categorie.ACTION,
        "orientation_expiree",
        f"Orientation expirée sans réponse de {action.prescription.structure}",
        Acteur.plateforme(),
        details={"action_id": action.id},
    )


# The commands this module handles: who may give them, when, and how the cockpit shows them
# (gathered and judged by workflows/transitions.py).
DECLARATIONS: list[Transition] = [
    Transition(
        "repondre_orientation",
        "Répondre à la demande d'orientation (par la structure)",
        ReponseStructure,
        OUVERTES,
        STRUCTURE,
        pendant_suspension=True,
        groupe="action",
    ),
]

COMMANDES = {"repondre_orientation": Commande(repondre, verifier_reponse)}
