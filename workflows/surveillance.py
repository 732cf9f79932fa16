"""SurveillanceTechniqueWorkflow: every two minutes, find the parcours Temporal can no longer
run (their workflow tasks keep failing) and show them to the coordination as incidents."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy


@workflow.defn(name="SurveillanceTechnique")
class SurveillanceTechniqueWorkflow:
    @workflow.run
    async def run(self) -> int:
        bloques: int = await workflow.execute_activity(
            "surveillance.parcours_bloques",
            result_type=int,
            start_to_close_timeout=timedelta(minutes=2),
            retry_policy=RetryPolicy(maximum_attempts=2),
        )
        return bloques
