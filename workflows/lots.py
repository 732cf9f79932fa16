"""ImportFichiersPartenaires: scheduled, imports the batch files the CAF/MSA and France
Travail dropped (ticket 20, item 6), one after the other in their order: their events are
then stored in that order, and the dispatcher delivers them in it."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from schemas.lots import FichierDepose, RapportFichier

REPRISES = RetryPolicy(initial_interval=timedelta(seconds=10), maximum_attempts=5)


@workflow.defn(name="ImportFichiersPartenaires")
class ImportFichiersPartenairesWorkflow:
    @workflow.run
    async def run(self) -> list[RapportFichier]:
        fichiers: list[FichierDepose] = await workflow.execute_activity(
            "lots.deposes",
            result_type=list[FichierDepose],
            start_to_close_timeout=timedelta(minutes=5),
            retry_policy=REPRISES,
        )
        rapports = []
        for fichier in fichiers:
            rapports.append(
                await workflow.execute_activity(
                    "lots.importer",
                    fichier,
                    result_type=RapportFichier,
                    start_to_close_timeout=timedelta(hours=1),
                    heartbeat_timeout=timedelta(minutes=2),
                    retry_policy=REPRISES,
                )
            )
        return rapports
