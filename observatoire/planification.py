"""The Temporal Schedule of the daily snapshot: every day at 02:30, Paris time."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleCalendarSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleRange,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)

from observatoire.messages import DemandeInstantane

PLANIFICATION_ID = "observatoire-quotidien"
WORKFLOW_ID = "observatoire-quotidien-instantane"  # Temporal appends the firing time
FUSEAU = "Europe/Paris"


def planification(task_queue: str) -> Schedule:
    return Schedule(
        action=ScheduleActionStartWorkflow(
            "ObservatoireQuotidien",
            DemandeInstantane(),
            id=WORKFLOW_ID,
            task_queue=task_queue,
        ),
        spec=ScheduleSpec(
            calendars=[ScheduleCalendarSpec(hour=[ScheduleRange(2)], minute=[ScheduleRange(30)])],
            time_zone_name=FUSEAU,
        ),
        # One snapshot a day is enough: a run still going is not doubled, and a worker
        # down for a few hours still takes the missed snapshot when it comes back.
        policy=SchedulePolicy(
            overlap=ScheduleOverlapPolicy.SKIP, catchup_window=timedelta(hours=20)
        ),
    )


async def planifier_instantanes(client: Client, task_queue: str) -> None:
    """Create the schedule, or bring an existing one up to date (safe at every start).
    A pause set by an operator is kept."""
    voulu = planification(task_queue)
    try:
        await client.create_schedule(PLANIFICATION_ID, voulu)
    except ScheduleAlreadyRunningError:

        def mettre_a_jour(entree: ScheduleUpdateInput) -> ScheduleUpdate:
            actuel = entree.description.schedule
            return ScheduleUpdate(schedule=dataclasses.replace(voulu, state=actuel.state))

        await client.get_schedule_handle(PLANIFICATION_ID).update(mettre_a_jour)


async def declencher_instantane(client: Client) -> None:
    """Take a snapshot now (after loading demo data, or to check the schedule by hand)."""
    await client.get_schedule_handle(PLANIFICATION_ID).trigger(
        overlap=ScheduleOverlapPolicy.ALLOW_ALL
    )
