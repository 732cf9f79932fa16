"""Moving the time-skipping server's clock to a given day, and waiting for the workflow."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from core.clock import PARIS
from core.parcours_client import ParcoursClient
from schemas.parcours import ParcoursState

ENFANTS = ("", "-contrat-1", "-contrat-2", "-pmsmp-1", "-pmsmp-2", "-pmsmp-3", "-emploi-1")


async def aller_au(env: WorkflowEnvironment, jour: date, heure: int = 12) -> None:
    """Skip time to that day (Paris), at noon by default: well after the midnight timers."""
    cible = datetime.combine(jour, time(heure), tzinfo=PARIS)
    delta = cible - await env.get_current_time()
    if delta > timedelta(0):
        # Let the worker finish what is in flight first: a workflow task still running when the
        # clock jumps would time out in virtual time and leave the test server confused.
        await asyncio.sleep(0.2)
        try:
            # Generous: on a loaded machine the server fires every timer of the skip in turn.
            await asyncio.wait_for(env.sleep(delta), 90)
        except (TimeoutError, RPCError):
            raise AssertionError(
                f"L'horloge du serveur de test n'avance plus : {await bloques(env)}"
            ) from None


async def bloques(env: WorkflowEnvironment) -> list[str]:
    """What may hold the test server's clock: runs (current and first) with work in flight."""
    from tests.conftest import ParcoursSuivis

    found = []
    for pid in ParcoursSuivis.ouverts:
        for suffix in ENFANTS:
            latest = env.client.get_workflow_handle(f"parcours-{pid}{suffix}")
            try:
                description = await latest.describe()
            except RPCError:
                continue  # no such child
            info = description.raw_description.workflow_execution_info
            for run_id in {description.run_id, info.first_run_id} - {None, ""}:
                handle = env.client.get_workflow_handle(latest.id, run_id=run_id)
                raw = (await handle.describe()).raw_description
                if (
                    raw.HasField("pending_workflow_task")
                    or raw.pending_activities
                    or raw.pending_children
                ):
                    events = [
                        e.WhichOneof("attributes") or ""
                        async for e in handle.fetch_history_events()
                    ]
                    found.append(
                        f"{latest.id}/{str(run_id)[:8]} {raw.workflow_execution_info.status}: "
                        f"{[a.activity_type.name for a in raw.pending_activities]} "
                        f"{[e.removesuffix('_event_attributes') for e in events[-10:]]}"
                    )
    return found


async def attendre(
    pc: ParcoursClient, pid: str, condition: Callable[[ParcoursState], bool], delai: float = 10.0
) -> ParcoursState:
    """The workflow reacts to a timer or a signal asynchronously: poll until it did."""
    fin = asyncio.get_running_loop().time() + delai
    while True:
        state = await pc.etat(pid)
        if condition(state) or asyncio.get_running_loop().time() > fin:
            return state
        await asyncio.sleep(0.05)


def codes(state: ParcoursState) -> set[str]:
    return {a.code for a in state.alertes}
