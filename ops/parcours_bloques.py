"""Parcours blocked technically: a workflow (the parcours' or one of its children's) whose
workflow tasks fail again and again — a history the code no longer replays (issue 25), a bug.
Such a parcours takes no command, fires no timer, detects no rupture: nothing shows it but
Temporal. This module finds them there and writes them to the read model as incidents of the
coordination (« Parcours bloqué techniquement »); ``ops.reparer`` repairs one.

Two signs, read from Temporal:

* the pending workflow task's attempt (``describe``): a task that failed or timed out
  ``SEUIL_TENTATIVES`` times in a row — works on any server;
* the ``TemporalReportedProblems`` search attribute, which a server so configured sets after
  consecutive task failures (``devstack``: 5).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import col, delete, select
from temporalio.api.enums.v1 import EventType
from temporalio.api.failure.v1 import Failure
from temporalio.client import Client, WorkflowExecution

from schemas.incident import StatutIncident
from store.db import SessionFactory, ecriture
from store.parcours import IncidentRow, ParcoursRow

SEUIL_TENTATIVES = 3
PARTENAIRE = "plateforme"  # the incident's "partner": the platform itself
OPERATION = "parcours_bloque"
LIBELLE = "Parcours bloqué techniquement"
TYPES = ("Parcours", "Contrat", "Pmsmp", "SuiviEmploi")
EN_COURS = "ExecutionStatus = 'Running' AND WorkflowType IN ({})".format(
    ", ".join(f"'{t}'" for t in TYPES)
)
PROBLEMES = "TemporalReportedProblems"
PREFIXE = "parcours-"


@dataclass(frozen=True)
class Blocage:
    parcours_id: str
    workflow_id: str
    tentatives: int
    depuis: datetime
    message: str


def incident_id(parcours_id: str) -> str:
    return f"bloque-{parcours_id}"


async def reperer(client: Client, concurrence: int = 8) -> list[Blocage]:
    """Every running workflow of a parcours whose task keeps failing."""
    limite = asyncio.Semaphore(concurrence)
    executions = [e async for e in client.list_workflows(EN_COURS)]

    async def examiner(e: WorkflowExecution) -> Blocage | None:
        async with limite:
            return await _examiner(client, e)

    trouves = await asyncio.gather(*(examiner(e) for e in executions))
    return [b for b in trouves if b is not None]


async def _examiner(client: Client, e: WorkflowExecution) -> Blocage | None:
    handle = client.get_workflow_handle(e.id, run_id=e.run_id)
    d = await handle.describe()
    tache = d.raw_description.pending_workflow_task
    signales = e.search_attributes.get(PROBLEMES) or []
    if tache.attempt < 2 and not signales:
        return None
    # A task that timed out once is a worker's death; one the code failed is a blocked run.
    message, echouee = await cause(client, e.id, e.run_id)
    if tache.attempt < SEUIL_TENTATIVES and not signales and not echouee:
        return None
    parent = d.parent_id if d.parent_id and d.parent_id.startswith(PREFIXE) else None
    racine = parent or e.id
    if not racine.startswith(PREFIXE):
        return None
    depuis = (
        tache.original_scheduled_time.ToDatetime(tzinfo=UTC)
        if tache.HasField("original_scheduled_time")
        else datetime.now(UTC)
    )
    if parent is not None:
        message = f"{message} (sous-processus {e.id})"
    return Blocage(
        parcours_id=racine.removeprefix(PREFIXE),
        workflow_id=e.id,
        tentatives=max(tache.attempt, 1),
        depuis=depuis,
        message=message,
    )


async def cause(client: Client, workflow_id: str, run_id: str | None) -> tuple[str, bool]:
    """The last workflow task failure written in the history since the last completed task
    (the retries of a failing task are not written), and whether there is one."""
    histoire = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
    for ev in reversed(histoire.events):
        if ev.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
            message = await _message(client, ev.workflow_task_failed_event_attributes.failure)
            return f"Tâches de workflow en échec : {message.splitlines()[0][:300]}", True
        if ev.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
            break
    return "Tâches de workflow expirées à répétition", False


async def _message(client: Client, failure: Failure) -> str:
    """The failure's message; the codec encrypts those raised by workflow code (« Encoded
    failure »), the SDK's own (non-determinism) are in clear."""
    if not failure.HasField("encoded_attributes"):
        return failure.message
    try:
        return str(await client.data_converter.decode_failure(failure))
    except Exception:  # a key rotated away: say what can be said
        return failure.message


async def ecrire(sessions: SessionFactory, blocages: list[Blocage]) -> int:
    """Make the read model's « bloqué » incidents exactly the blocked parcours found (one row
    per parcours; a parcours unknown to the read model is left out). Returns the rows kept."""
    par_parcours: dict[str, Blocage] = {}
    for b in blocages:  # the parcours' own workflow first, else its first blocked child
        if b.parcours_id not in par_parcours or b.workflow_id.startswith(PREFIXE):
            par_parcours[b.parcours_id] = b
    maintenant = datetime.now(UTC)
    async with sessions() as session:
        await ecriture(session)
        existants = {
            i.parcours_id: i
            for i in (
                await session.exec(select(IncidentRow).where(IncidentRow.operation == OPERATION))
            ).all()
        }
        lignes = {
            p.id: p
            for p in (
                await session.exec(
                    select(ParcoursRow).where(col(ParcoursRow.id).in_(list(par_parcours)))
                )
            ).all()
        }
        partis = [pid for pid in existants if pid not in par_parcours]
        if partis:
            await session.exec(
                delete(IncidentRow).where(
                    col(IncidentRow.operation) == OPERATION,
                    col(IncidentRow.parcours_id).in_(partis),
                )
            )
        for pid, b in par_parcours.items():
            if pid not in lignes:
                continue
            avant = existants.get(pid)
            if avant is not None:
                await session.delete(avant)
                await session.flush()
            session.add(
                IncidentRow(
                    id=incident_id(pid),
                    parcours_id=pid,
                    territoire=lignes[pid].territoire,
                    partenaire=PARTENAIRE,
                    operation=OPERATION,
                    message=b.message,
                    definitif=False,
                    tentatives=b.tentatives,
                    premiere_erreur=avant.premiere_erreur if avant else b.depuis,
                    derniere_erreur=maintenant,
                    statut=StatutIncident.OUVERT.value,
                )
            )
        await session.commit()
    return sum(1 for pid in par_parcours if pid in lignes)


async def surveiller(client: Client, sessions: SessionFactory) -> int:
    return await ecrire(sessions, await reperer(client))
