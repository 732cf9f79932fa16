"""RetentionWorkflow: every night, anonymise the parcours closed for longer than the delay."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from core.clock import local_day
    from schemas.retention import BilanAnonymisation, DemandeAnonymisation


@workflow.defn(name="Retention")
class RetentionWorkflow:
    @workflow.run
    async def run(self, delai_jours: int | None = None) -> BilanAnonymisation:
        bilan: BilanAnonymisation = await workflow.execute_activity(
            "retention.anonymiser",
            DemandeAnonymisation(jour=local_day(workflow.now()), delai_jours=delai_jours),
            result_type=BilanAnonymisation,
            start_to_close_timeout=timedelta(minutes=30),
            heartbeat_timeout=timedelta(minutes=2),
            retry_policy=RetryPolicy(maximum_attempts=5),
        )
        return bilan
