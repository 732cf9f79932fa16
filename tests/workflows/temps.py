"""Moving the time-skipping server's clock to a given day, and waiting for the workflow."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Callable
from datetime import date, datetime, time, timedelta
from typing import Any, NoReturn

from temporalio.api.enums.v1 import PendingActivityState, WorkflowExecutionStatus
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import WorkflowHandle
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from core.clock import PARIS
from core.ids import parcours_workflow_id
from schemas.parcours import ParcoursState
from services.parcours_client import ParcoursClient

# Real seconds a skip may go without the clock jumping ahead before the test fails. While a
# workflow task or an activity runs, the server holds its clock (it then moves at real speed);
# in these tests each takes milliseconds, so this long without a jump is a stall. (The test
# server also drops a sleep call that has waited ~30 s.)
SANS_SAUT = 20.0


class ExecutionEnPlan(AssertionError):
    """The test server left a workflow task of the test « started » for good: it refused the
    worker's answer (a CancelTimer for a timer that fired meanwhile, « invalid history builder
    state for action ») and never times that task out nor sends it again. A defect of the test
    server, not of the workflow (temporalio/sdk-java#2606, #3088; fix proposed in #3060); a real
    server fails and retries such a task. The test is run again once, on a fresh server."""


async def aller_au(env: WorkflowEnvironment, jour: date, heure: int = 12) -> None:
    """Skip time to that day (Paris), at noon by default: well after the midnight timers."""
    cible = datetime.combine(jour, time(heure), tzinfo=PARIS)
    delta = cible - await env.get_current_time()
    if delta <= timedelta(0):
        return
    # Let the worker finish what is in flight first: a workflow task still running when the
    # clock jumps would time out in virtual time and leave the test server confused.
    await au_repos(env)
    saut = asyncio.ensure_future(env.sleep(delta))
    try:
        await _surveiller(env, saut)
    finally:
        saut.cancel()


async def _surveiller(env: WorkflowEnvironment, saut: asyncio.Future[None]) -> None:
    """Wait for the skip; fail as soon as the clock has not jumped for SANS_SAUT seconds,
    naming what holds it (a stall used to wait out a long bound, then spill into later tests)."""
    horloge = asyncio.get_running_loop().time
    virtuel, reel = await env.get_current_time(), horloge()
    dernier_saut = reel
    while not (await asyncio.wait({saut}, timeout=0.5))[0]:
        maintenant, instant = await env.get_current_time(), horloge()
        if (maintenant - virtuel).total_seconds() > instant - reel + 1:
            dernier_saut = instant
        virtuel, reel = maintenant, instant
        if instant - dernier_saut > SANS_SAUT:
            await _echouer(
                env, f"depuis {SANS_SAUT:.0f} s (le {virtuel.astimezone(PARIS):%d/%m/%Y à %H:%M})"
            )
    if saut.exception() is not None:
        await _echouer(env, f"({saut.exception()})")


async def _echouer(env: WorkflowEnvironment, quand: str) -> NoReturn:
    ouvertes = await bloques(env)
    message = f"L'horloge du serveur de test n'avance plus {quand} : {ouvertes}"
    if any(o.endswith("'workflow_task_started']") for o in ouvertes):
        raise ExecutionEnPlan(
            f"{message} — tâche de workflow laissée en plan par le serveur de test"
        )
    raise AssertionError(message)


async def au_repos(env: WorkflowEnvironment, delai: float = 10.0) -> None:
    """Wait until no workflow of the test has a workflow task pending or an activity
    running (bounded: past it the skip goes ahead, and its watch names what is stuck)."""
    fin = asyncio.get_running_loop().time() + delai
    while True:
        if not await _en_cours(env) or asyncio.get_running_loop().time() > fin:
            return
        await asyncio.sleep(0.02)


async def _en_cours(env: WorkflowEnvironment) -> list[tuple[WorkflowHandle[Any, Any], Any]]:
    """The runs (current and first, of each parcours and child) with work in flight."""
    return [(h, raw) async for h, raw in _executions(env) if _occupe(raw)]


def _occupe(raw: Any) -> bool:
    return raw.HasField("pending_workflow_task") or any(
        a.state != PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED
        for a in raw.pending_activities
    )


async def _executions(
    env: WorkflowEnvironment,
) -> AsyncIterator[tuple[WorkflowHandle[Any, Any], Any]]:
    """Every run of the test's parcours and of their pending children, walked from the
    parcours the test opened (the test server cannot list workflows)."""
    from tests.conftest import ParcoursSuivis

    a_voir = [parcours_workflow_id(pid) for pid in ParcoursSuivis.ouverts]
    vus: set[str] = set()
    while a_voir:
        workflow_id = a_voir.pop()
        if workflow_id in vus:
            continue
        vus.add(workflow_id)
        try:
            description = await env.client.get_workflow_handle(workflow_id).describe()
        except RPCError:
            continue  # not started yet
        info = description.raw_description.workflow_execution_info
        for run_id in {description.run_id, info.first_run_id} - {None, ""}:
            handle = env.client.get_workflow_handle(workflow_id, run_id=run_id)
            raw = (await handle.describe()).raw_description
            a_voir += [c.workflow_id for c in raw.pending_children]
            yield handle, raw


async def bloques(env: WorkflowEnvironment) -> list[str]:
    """What may hold the test server's clock: the test's runs still open (busy ones first),
    with what they have in flight and their last events."""
    ouvertes = [
        (h, raw)
        async for h, raw in _executions(env)
        if raw.workflow_execution_info.status
        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
    ]
    found = []
    for handle, raw in sorted(ouvertes, key=lambda o: not _occupe(o[1])):
        events = [_evenement(e) async for e in handle.fetch_history_events()]
        activites = [
            f"{a.activity_type.name} ({PendingActivityState.Name(a.state).rsplit('_', 1)[1]}, "
            f"essai {a.attempt})"
            for a in raw.pending_activities
        ]
        tache = " tâche de workflow en attente," if raw.HasField("pending_workflow_task") else ""
        found.append(
            f"{handle.id} (exécution {str(handle.run_id)[:8]}) :{tache} activités {activites}, "
            f"derniers événements {events[-6:]}"
        )
    return found


def _evenement(event: HistoryEvent) -> str:
    """An event's type, with its duration for a timer (the race that strands a run involves
    a short timer: temporalio/sdk-java#2606)."""
    nom = (event.WhichOneof("attributes") or "").removesuffix("_event_attributes")
    if nom == "timer_started":
        return f"{nom} ({event.timer_started_event_attributes.start_to_fire_timeout.ToTimedelta()})"
    return nom


async def attendre(
    pc: ParcoursClient, pid: str, condition: Callable[[ParcoursState], bool], delai: float = 10.0
) -> ParcoursState:
    """The workflow reacts to a timer or a signal asynchronously: poll until it did, and fail
    if it did not (handing back the last state unchecked let a test pass on what never came:
    several callers do not look at the state)."""
    fin = asyncio.get_running_loop().time() + delai
    while True:
        state = await pc.etat(pid)
        if condition(state):
            return state
        if asyncio.get_running_loop().time() > fin:
            raise AssertionError(
                f"Toujours pas après {delai:.0f} s : {_source(condition)} — parcours {pid} en "
                f"phase {state.phase.value}, statut {state.statut.value}, alertes "
                f"{sorted(codes(state))}, dernières lignes {[e.code for e in state.timeline[-5:]]}"
            )
        await asyncio.sleep(0.05)


def _source(condition: Callable[[ParcoursState], bool]) -> str:
    """The condition as the test wrote it."""
    try:
        return " ".join(inspect.getsource(condition).split())
    except (OSError, TypeError):
        return repr(condition)


def codes(state: ParcoursState) -> set[str]:
    return {a.code for a in state.alertes}
