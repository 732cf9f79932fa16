"""ObservatoireQuotidienWorkflow: the daily snapshot of the indicators, started by the
``observatoire-quotidien`` schedule (observatoire/planification.py)."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from core.clock import local_day
    from observatoire.messages import DemandeInstantane, InstantanePris

# Several minutes of computation at most; a database outage is retried for about an hour.
DUREE_MAX = timedelta(minutes=15)
REPRISES = RetryPolicy(
    initial_interval=timedelta(seconds=10), backoff_coefficient=2, maximum_attempts=8
)


@workflow.defn(name="ObservatoireQuotidien")
class ObservatoireQuotidienWorkflow:
    @workflow.run
    async def run(self, demande: DemandeInstantane) -> InstantanePris:
        # The day is fixed here, not in the activity: a retry after midnight still writes
        # the snapshot of the day the schedule fired.
        jour = demande.jour or local_day(workflow.now())
        pris: InstantanePris = await workflow.execute_activity(
            "observatoire.prendre_instantane",
            DemandeInstantane(jour=jour),
            result_type=InstantanePris,
            start_to_close_timeout=DUREE_MAX,
            retry_policy=REPRISES,
        )
        return pris
