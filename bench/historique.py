"""What the parcours really cost Temporal, read from their histories: the bare comparison
replays the same number of Updates and activities."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

TYPES_PARCOURS = ("Parcours", "Contrat", "Pmsmp", "SuiviEmploi")
MARQUEUR_LOCAL = "core_local_activity"


@dataclass(frozen=True)
class Cout:
    """Per parcours, children included."""

    updates: float
    activites: float
    enfants: float
    signaux: float
    evenements: float  # history events
    octets: float  # size of the histories (payloads encrypted, as Temporal stores them)

    def texte(self) -> str:
        return (
            f"{self.updates:.0f} updates, {self.activites:.0f} activités, "
            f"{self.enfants:.0f} workflows enfants, {self.signaux:.0f} signaux, "
            f"{self.evenements:.0f} événements d'historique ({self.octets / 1024:.0f} Kio)"
        )


async def compter(client: Client) -> Counter[str]:
    total: Counter[str] = Counter()
    types = " OR ".join(f"WorkflowType = '{t}'" for t in TYPES_PARCOURS)
    async for wf in client.list_workflows(types):
        total[wf.workflow_type] += 1
        historique = await client.get_workflow_handle(wf.id, run_id=wf.run_id).fetch_history()
        for e in historique.events:
            total["evenements"] += 1
            total["octets"] += e.ByteSize()
            if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
                total["updates"] += 1
            elif e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED or (
                e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED
                and e.marker_recorded_event_attributes.marker_name == MARQUEUR_LOCAL
            ):
                total["activites"] += 1
            elif e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
                total["signaux"] += 1
    return total


async def cout_par_parcours(client: Client) -> Cout:
    total = await compter(client)
    n = max(total["Parcours"], 1)
    enfants = sum(total[t] for t in TYPES_PARCOURS[1:])
    return Cout(
        updates=total["updates"] / n,
        activites=total["activites"] / n,
        enfants=enfants / n,
        signaux=total["signaux"] / n,
        evenements=total["evenements"] / n,
        octets=total["octets"] / n,
    )


@dataclass(frozen=True)
class Ouverture:
    """One parcours' history, as its opening left it."""

    evenements: int
    taches: int  # workflow tasks: each one a round trip to the worker
    activites: Counter[str]
    updates: int
    minuteries: int  # the vigie's timer among them

    def texte(self) -> str:
        detail = ", ".join(f"{nom} × {n}" for nom, n in sorted(self.activites.items()))
        return (
            f"{self.evenements} événements, {self.taches} tâches de workflow, "
            f"{sum(self.activites.values())} activités ({detail or 'aucune'}), "
            f"{self.updates} update, {self.minuteries} minuterie"
        )


async def ouverture(client: Client, workflow_id: str) -> Ouverture:
    historique = await client.get_workflow_handle(workflow_id).fetch_history()
    activites: Counter[str] = Counter()
    taches = updates = minuteries = 0
    for e in historique.events:
        if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
            taches += 1
        elif e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            activites[e.activity_task_scheduled_event_attributes.activity_type.name] += 1
        elif e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
            updates += 1
        elif e.event_type == EventType.EVENT_TYPE_TIMER_STARTED:
            minuteries += 1
    return Ouverture(len(historique.events), taches, activites, updates, minuteries)
