"""A person decides what happens to a failed partner call: try again, or close with a reason."""

from __future__ import annotations

from datetime import date

from schemas.common import Ordre
from schemas.incident import INCIDENTS_ACTIFS, RelanceIncident, ResolutionIncident, StatutIncident
from schemas.parcours import Categorie, ParcoursState
from workflows import conditions
from workflows.declaration import OUVERTES, REFERENT_OU_COORDINATION, CommandeRefusee, Transition
from workflows.etapes.base import Commande, Contexte


def _incident_ouvert(s: ParcoursState, incident_id: str) -> None:
    incident = next((i for i in s.incidents if i.id == incident_id), None)
    if incident is None:
        raise CommandeRefusee(f"Incident inconnu : {incident_id}")
    if incident.statut not in INCIDENTS_ACTIFS:
        raise CommandeRefusee(f"L'incident est déjà {incident.statut.label.lower()}")
    if incident.statut == StatutIncident.RELANCE:
        raise CommandeRefusee("Une nouvelle tentative est déjà en cours pour cet incident")


def verifier_relance(s: ParcoursState, r: RelanceIncident, today: date) -> None:
    _incident_ouvert(s, r.incident_id)


def verifier_resolution(s: ParcoursState, r: ResolutionIncident, today: date) -> None:
    _incident_ouvert(s, r.incident_id)


async def relancer(ctx: Contexte, ordre: Ordre[RelanceIncident]) -> None:
    index = next(i for i, x in enumerate(ctx.s.incidents) if x.id == ordre.donnees.incident_id)
    incident = ctx.s.incidents[index].model_copy(update={"statut": StatutIncident.RELANCE})
    ctx.s.incidents[index] = incident  # the waiting call sees it and tries again
    ctx.noter(
        Categorie.INCIDENT,
        "incident_relance",
        f"Nouvelle tentative demandée : {incident.operation.label}",
        ordre.auteur,
    )


async def resoudre(ctx: Contexte, ordre: Ordre[ResolutionIncident]) -> None:
    r = ordre.donnees
    index = next(i for i, x in enumerate(ctx.s.incidents) if x.id == r.incident_id)
    incident = ctx.s.incidents[index].model_copy(
        update={"statut": StatutIncident.CLOS, "resolution": r.motif, "resolu_par": ordre.auteur}
    )
    ctx.s.incidents[index] = incident
    ctx.noter(
        Categorie.INCIDENT,
        "incident_clos",
        f"Incident clos sans nouvelle tentative ({incident.operation.label}) : {r.motif}",
        ordre.auteur,
    )


# The commands this module handles: who may give them, when, and how the cockpit shows them
# (gathered and judged by workflows/transitions.py).
DECLARATIONS: list[Transition] = [
    Transition(
        "relancer_incident",
        "Relancer l'appel en échec",
        RelanceIncident,
        OUVERTES,
        REFERENT_OU_COORDINATION,
        condition=conditions.incident_actif,
        pendant_suspension=True,
        groupe="incident",
    ),
    Transition(
        "resoudre_incident",
        "Clore l'incident",
        ResolutionIncident,
        OUVERTES,
        REFERENT_OU_COORDINATION,
        condition=conditions.incident_actif,
        pendant_suspension=True,
        groupe="incident",
    ),
]

COMMANDES = {
    "relancer_incident": Commande(relancer, verifier_relance),
    "resoudre_incident": Commande(resoudre, verifier_resolution),
}
