"""RelivraisonWorkflow: every five minutes, make sure the dispatcher of partner events
(``RepartiteurEvenements``) runs. It used to deliver the events stored while Temporal could
not be reached; the dispatcher now delivers every stored event (issue 19). Its code is
unchanged so that its histories replay; only its activity does something else."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from core.clock import local_day
    from schemas.vigie_quotidienne import TourneeVigie


@workflow.defn(name="Relivraison")
class RelivraisonWorkflow:
    @workflow.run
    async def run(self) -> int:
        delivered: int = await workflow.execute_activity(
            "partenaires.relivrer",
            TourneeVigie(jour=local_day(workflow.now())),
            result_type=int,
            start_to_close_timeout=timedelta(minutes=4),
            retry_policy=RetryPolicy(maximum_attempts=3),
        )
        return delivered
