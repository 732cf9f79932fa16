"""ImportOffresFranceTravail: the département's offers from France Travail's API into the
platform's offers, nightly (Schedule ``import-offres-france-travail``, core/planifications.py).
A run that fails writes nothing (the activity reads every range before it writes); the next
one starts over."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy

ACTIVITE = "employeurs.importer_offres_france_travail"
# An outage (5xx, 429, network) is retried within the hour; a refusal (identifiers, 4xx) is
# not (non_retryable): the run fails with France Travail's reason, visible to the operators.
REESSAIS = RetryPolicy(
    initial_interval=timedelta(seconds=30),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=15),
    maximum_attempts=6,
)


@workflow.defn(name="ImportOffresFranceTravail")
class ImportOffresFranceTravailWorkflow:
    @workflow.run
    async def run(self) -> dict[str, Any]:
        bilan: dict[str, Any] = await workflow.execute_activity(
            ACTIVITE,
            result_type=dict,
            start_to_close_timeout=timedelta(minutes=10),
            retry_policy=REESSAIS,
        )
        return bilan
