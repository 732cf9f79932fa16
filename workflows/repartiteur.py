"""RepartiteurEvenementsWorkflow: the single dispatcher of stored partner events. It runs the
``partenaires.repartir`` activity (a heartbeating loop) again and again, forever; a dead
worker's loop is taken over by another once its heartbeat stops."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

TOURS_AVANT_DE_RECOMMENCER = 50  # then continue-as-new: a short history
BATTEMENT = timedelta(seconds=10)
RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    maximum_interval=timedelta(seconds=10),
    maximum_attempts=0,  # forever: a stored event must reach its parcours
)


@workflow.defn(name="RepartiteurEvenements")
class RepartiteurEvenementsWorkflow:
    @workflow.run
    async def run(self) -> None:
        for _ in range(TOURS_AVANT_DE_RECOMMENCER):
            try:
                await workflow.execute_activity(
                    "partenaires.repartir",
                    result_type=int,
                    start_to_close_timeout=timedelta(minutes=15),
                    heartbeat_timeout=BATTEMENT,
                    retry_policy=RETRY,
                )
            except ActivityError:  # cancelled at a worker's shutdown, say: start again
                await workflow.sleep(timedelta(seconds=1))
        workflow.continue_as_new()
