"""Registering the person in RDV-Solidarités, where they book their appointment themselves; its
outcomes come back as the tool's webhooks (partenaires/rdv_solidarites.py)."""

from __future__ import annotations

from typing import Any

from schemas.common import Acteur, Ordre
from schemas.incident import TypeOperation
from schemas.parcours import Categorie, ParcoursState
from schemas.rdv_solidarites import (
    DemandeRdvSolidarites,
    InscriptionRdvSolidarites,
    IssueRdvSolidarites,
    UsagerRdvSolidarites,
)
from workflows import conditions
from workflows.declaration import OUVERTES, REFERENT, Transition
from workflows.etapes.base import Commande, Contexte


def inscription(s: ParcoursState, organisation_id: int) -> InscriptionRdvSolidarites:
    """The person as the tool needs them: name, birth date, contacts, CAF number (shared only
    with the person's consent: the command's condition)."""
    u = s.usager
    return InscriptionRdvSolidarites(
        usager=UsagerRdvSolidarites(
            organisation_ids=[organisation_id],
            first_name=u.prenom,
            last_name=u.nom,
            birth_date=u.date_naissance,
            email=u.email,
            phone_number=u.telephone,
            affiliation_number=s.identifiants.caf,
        )
    )


async def inscrire(ctx: Contexte, ordre: Ordre[DemandeRdvSolidarites]) -> None:
    ctx.lancer_operation(
        TypeOperation.INSCRIRE_RDV_SOLIDARITES,
        inscription(ctx.s, ordre.donnees.organisation_id),
    )
    ctx.noter(
        Categorie.RDV,
        "inscription_rdv_solidarites",
        "Inscription de la personne demandée à RDV-Solidarités",
        ordre.auteur,
    )


def inscrite(ctx: Contexte, resultat: dict[str, Any]) -> None:
    """The tool's user id becomes one of the parcours' identifiers: its webhooks find it."""
    identifiant = str(resultat.get("rdv_solidarites_id") or "")
    if not identifiant.isdigit():
        return
    s = ctx.s
    s.identifiants = s.identifiants.model_copy(update={"rdv_solidarites": identifiant})
    ctx.noter(
        Categorie.RDV,
        "inscrite_rdv_solidarites",
        f"Personne inscrite dans RDV-Solidarités (usager n° {identifiant}) : ses rendez-vous "
        "pris dans l'outil arriveront dans le parcours",
        Acteur.partenaire("rdv", "RDV-Solidarités"),
    )


def issue_transmise(ctx: Contexte, donnees: dict[str, Any]) -> None:
    """The tool took the outcome the référent recorded (a failure is the call's incident)."""
    issue = IssueRdvSolidarites.model_validate(donnees)
    ctx.noter(
        Categorie.RDV,
        "issue_transmise_rdv_solidarites",
        f"Issue transmise à RDV-Solidarités : {issue.statut.label.lower()}",
        Acteur.partenaire("rdv", "RDV-Solidarités"),
        details={"rdv_id": issue.rdv_id},
    )


# The commands this module handles: who may give them, when, and how the cockpit shows them
# (gathered and judged by workflows/transitions.py).
DECLARATIONS: list[Transition] = [
    Transition(
        "inscrire_rdv_solidarites",
        "Inscrire la personne dans RDV-Solidarités",
        DemandeRdvSolidarites,
        OUVERTES,
        REFERENT,
        condition=conditions.inscriptible_rdv_solidarites,
        groupe="rdv",
    ),
]

COMMANDES = {"inscrire_rdv_solidarites": Commande(inscrire)}
