"""SuiviImmersionFacilitee: every morning (and at each worker start), make sure the platform is
subscribed to Immersion Facilitée's ``convention.updated`` callback, then read the conventions
of the last weeks: the real service posts each update once and never retries it."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.immersion_facilitee import BilanLecture, depuis
    from core.clock import local_day
    from schemas.immersion_facilitee import EtatSouscription

ESSAIS = RetryPolicy(
    initial_interval=timedelta(seconds=30),
    maximum_interval=timedelta(minutes=10),
    maximum_attempts=6,
    non_retryable_error_types=["RefusPartenaire"],
)


@workflow.defn(name="SuiviImmersionFacilitee")
class SuiviImmersionFacilitee:
    @workflow.run
    async def run(self) -> BilanLecture:
        try:
            await workflow.execute_activity(
                "immersion_facilitee.souscrire",
                result_type=EtatSouscription,
                start_to_close_timeout=timedelta(minutes=1),
                retry_policy=ESSAIS,
            )
        except ActivityError:
            workflow.logger.warning(
                "Souscription Immersion Facilitée en échec : lecture quand même"
            )
        bilan: BilanLecture = await workflow.execute_activity(
            "immersion_facilitee.lire_conventions",
            depuis(local_day(workflow.now())),
            result_type=BilanLecture,
            start_to_close_timeout=timedelta(minutes=5),
            retry_policy=ESSAIS,
        )
        return bilan
