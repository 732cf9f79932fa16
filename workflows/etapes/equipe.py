"""L'équipe de suivi: the référent brings professionals of other structures into the team
(by invitation, or by accepting their request to join) and takes them out of it. Membership
gives read access (services/utilisateur.py), never a command: only the référent advances
the parcours."""

from __future__ import annotations

from datetime import date

from temporalio import workflow

from schemas.appels import Courriel
from schemas.common import Ordre, Role
from schemas.equipe import MembreAjoute, MembreEquipe, MembreRetire
from schemas.incident import TypeOperation
from schemas.parcours import Categorie, ParcoursState
from workflows import conditions
from workflows.declaration import OUVERTES, REFERENT, CommandeRefusee, Transition
from workflows.etapes.base import Commande, Contexte, verifier_jour

# workflow.patched() id: the professional invited into the team is told (issue 17).
INVITE_PREVENU = "membre-invite-prevenu"


def present(s: ParcoursState, compte_id: str) -> MembreEquipe | None:
    return next((m for m in s.equipe if m.membre.id == compte_id and m.present), None)


def verifier_ajout(s: ParcoursState, a: MembreAjoute, today: date) -> None:
    verifier_jour(s, a.le, today, "La date d'arrivée dans l'équipe", "le")
    if a.membre.role != Role.REFERENT:
        raise CommandeRefusee(
            "Seul un professionnel qui accompagne des personnes peut rejoindre l'équipe",
            champ="compte_id",
        )
    if s.referent is not None and s.referent.referent.id == a.membre.id:
        raise CommandeRefusee("Cette personne est le référent du parcours", champ="compte_id")
    if present(s, a.membre.id) is not None:
        raise CommandeRefusee(f"{a.membre.nom} fait déjà partie de l'équipe", champ="compte_id")


async def ajouter(ctx: Contexte, ordre: Ordre[MembreAjoute]) -> None:
    a = ordre.donnees
    ctx.s.equipe.append(
        MembreEquipe(
            membre=a.membre,
            role=a.role,
            structure=a.structure,
            email=a.email,
            telephone=a.telephone,
            du=a.le,
        )
    )
    comment = "sur sa demande" if a.demande_id else "sur invitation"
    ctx.noter(
        Categorie.EQUIPE,
        "membre_ajoute",
        f"{a.membre.nom} ({a.structure}) rejoint l'équipe de suivi {comment} : {a.role.label}",
        ordre.auteur,
        le=a.le,
        details={"membre": a.membre.id, "role": a.role.value},
    )
    # Who asked to join is told by the acceptance itself (web/equipe/rattachements.py).
    if a.demande_id is None and workflow.patched(INVITE_PREVENU):
        ctx.lancer_operation(
            TypeOperation.ENVOYER_COURRIEL,
            Courriel(
                destinataire=f"compte:{a.membre.id}",
                sujet="Vous rejoignez une équipe de suivi",
                texte=(
                    f"{ordre.auteur.nom} vous ajoute à l'équipe de suivi du parcours "
                    f"{ctx.s.parcours_id[:8]} ({a.role.label}) : vous pouvez lire le dossier et "
                    "y écrire des notes."
                ),
                lien=f"/parcours/{ctx.s.parcours_id}",
                sorte="ajout_equipe",
            ),
        )


def verifier_retrait(s: ParcoursState, r: MembreRetire, today: date) -> None:
    verifier_jour(s, r.le, today, "La date de départ de l'équipe", "le")
    if present(s, r.compte_id) is None:
        raise CommandeRefusee("Ce professionnel ne fait pas partie de l'équipe", champ="compte_id")


async def retirer(ctx: Contexte, ordre: Ordre[MembreRetire]) -> None:
    r = ordre.donnees
    membre = present(ctx.s, r.compte_id)
    assert membre is not None
    ctx.s.equipe = [m.model_copy(update={"au": r.le}) if m is membre else m for m in ctx.s.equipe]
    motif = f" : {r.motif}" if r.motif else ""
    ctx.noter(
        Categorie.EQUIPE,
        "membre_retire",
        f"{membre.membre.nom} quitte l'équipe de suivi{motif}",
        ordre.auteur,
        le=r.le,
        details={"membre": membre.membre.id},
    )


# The commands this module handles: who may give them, when, and how the cockpit shows them
# (gathered and judged by workflows/transitions.py).
DECLARATIONS: list[Transition] = [
    Transition(
        "ajouter_membre",
        "Inviter un professionnel dans l'équipe de suivi",
        MembreAjoute,
        OUVERTES,
        REFERENT,
        pendant_suspension=True,
        groupe="equipe",
    ),
    Transition(
        "retirer_membre",
        "Retirer un professionnel de l'équipe de suivi",
        MembreRetire,
        OUVERTES,
        REFERENT,
        condition=conditions.equipe_non_vide,
        pendant_suspension=True,
        groupe="equipe",
    ),
]

COMMANDES = {
    "ajouter_membre": Commande(ajouter, verifier_ajout),
    "retirer_membre": Commande(retirer, verifier_retrait),
}
