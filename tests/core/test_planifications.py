"""The platform's schedules keep running: Temporal hands each run of a schedule the result of
the run before it (sealed by the codec for that run), and the schedule skips a start while a
run is going on. A run unable to read what it was handed would stay open for good, and the
schedule — relivraison, vigie, surveillance, anonymisation — would never start again."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from temporalio import workflow
from temporalio.client import Client, ScheduleActionExecutionStartWorkflow, ScheduleHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from core.planifications import planifier

DELAI_S = 60


@workflow.defn(name="TourPlanifie")
class TourPlanifie:
    """Counts its runs through the result Temporal hands from one run to the next."""

    @workflow.run
    async def run(self) -> int:
        precedent = workflow.get_last_completion_result(type_hint=int) or 0
        return precedent + 1


async def _echecs(client: Client, workflow_id: str) -> list[str]:
    """Why the run's workflow tasks failed, read with the key."""
    handle = client.get_workflow_handle(workflow_id)
    return [
        str(
            await client.data_converter.decode_failure(
                e.workflow_task_failed_event_attributes.failure
            )
        )
        async for e in handle.fetch_history_events()
        if e.HasField("workflow_task_failed_event_attributes")
    ]


async def _tour(client: Client, handle: ScheduleHandle, deja: int) -> int:
    """Trigger the schedule once more, wait for that run's end; its result."""
    await handle.trigger()
    limite = asyncio.get_running_loop().time() + DELAI_S
    while True:
        info = (await handle.describe()).info
        if info.num_actions > deja and not info.running_actions:
            action = info.recent_actions[-1].action
            assert isinstance(action, ScheduleActionExecutionStartWorkflow)
            resultat: int = await client.get_workflow_handle(action.workflow_id).result()
            return resultat
        if asyncio.get_running_loop().time() > limite:
            ouvertes = [
                a.workflow_id
                for a in info.running_actions
                if isinstance(a, ScheduleActionExecutionStartWorkflow)
            ]
            raisons = [await _echecs(client, w) for w in ouvertes]
            raise AssertionError(
                f"Tour n° {deja + 1} de la planification toujours en cours après {DELAI_S} s "
                f"({info.num_actions_skipped_overlap} départs sautés) : {ouvertes} {raisons}"
            )
        await asyncio.sleep(0.2)


async def test_chaque_tour_lit_le_resultat_du_precedent(
    temporal_local: WorkflowEnvironment,
) -> None:
    client = temporal_local.client  # the platform's codec
    queue, schedule_id = f"planifications-{uuid.uuid4()}", f"tour-{uuid.uuid4()}"
    await planifier(client, schedule_id, "TourPlanifie", "0 6 * * *", queue, "test")
    handle = client.get_schedule_handle(schedule_id)
    try:
        async with Worker(
            client,
            task_queue=queue,
            workflows=[TourPlanifie],
            workflow_runner=UnsandboxedWorkflowRunner(),
        ):
            assert await _tour(client, handle, 0) == 1
            premier = (await handle.describe()).info.recent_actions[-1].started_at
            # Temporal names a run after its start, to the second: the next one, another name
            suivant = premier + timedelta(seconds=1)
            await asyncio.sleep(max(0.0, (suivant - datetime.now(UTC)).total_seconds()))
            assert await _tour(client, handle, 1) == 2
            assert await _tour(client, handle, 2) == 3
    finally:
        await handle.delete()
