"""ImportPersonnesWorkflow: open or update the parcours of a confirmed import's rows.

The rows and what each must do are in the read model (store/imports.py); the workflow only
hands out batches of row numbers to activities, at most ``CONCURRENCE`` at a time, so that a
list of 5,000 people does not flood the engine. A worker or server restart replays it:
finished batches are in its history, the others run again, and each row is idempotent (its
parcours id comes from the import id and the row number, and a row done is skipped)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from schemas.imports import LotImport

LOT = 20
CONCURRENCE = 12  # parcours openings at once: 24 at once open ~20/s on the bench machine
RETRY = RetryPolicy(maximum_interval=timedelta(seconds=30))  # until it works: rows are idempotent


@workflow.defn(name="ImportPersonnes")
class ImportPersonnesWorkflow:
    @workflow.run
    async def run(self, import_id: str) -> int:
        numeros: list[int] = await workflow.execute_activity(
            "imports.a_traiter",
            import_id,
            result_type=list[int],
            start_to_close_timeout=timedelta(minutes=2),
            retry_policy=RETRY,
        )
        places = asyncio.Semaphore(CONCURRENCE)

        async def traiter(lot: list[int]) -> int:
            async with places:
                fait: int = await workflow.execute_activity(
                    "imports.traiter_lot",
                    LotImport(import_id=import_id, numeros=lot),
                    result_type=int,
                    start_to_close_timeout=timedelta(minutes=10),
                    heartbeat_timeout=timedelta(seconds=20),  # a stopped worker: retried soon
                    retry_policy=RETRY,
                )
                return fait

        lots = [numeros[i : i + LOT] for i in range(0, len(numeros), LOT)]
        faits = sum(await asyncio.gather(*(traiter(lot) for lot in lots)))
        await workflow.execute_activity(
            "imports.terminer",
            import_id,
            start_to_close_timeout=timedelta(minutes=1),
            retry_policy=RETRY,
        )
        return faits
