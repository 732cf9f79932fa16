"""AncrageAuditWorkflow: the daily anchor of the audit log, started by the ``ancrage-audit``
schedule (core/planifications.py).

Its activity checks the whole log against the key and the earlier anchors, then returns the
last entry's id and HMAC: that result stays in this workflow's history, which neither the web
app nor anyone with only database access can rewrite. A later truncation of the log (its last
entries deleted) leaves an anchor pointing past its end: ``make audit`` reports it.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from schemas.audit import AncreAudit

# Reading the whole log takes minutes at most; a database outage is retried for about an hour.
DUREE_MAX = timedelta(minutes=20)
REPRISES = RetryPolicy(
    initial_interval=timedelta(seconds=10), backoff_coefficient=2, maximum_attempts=8
)


@workflow.defn(name="AncrageAudit")
class AncrageAuditWorkflow:
    @workflow.run
    async def run(self) -> AncreAudit:
        ancre: AncreAudit = await workflow.execute_activity(
            "audit.ancrer",
            result_type=AncreAudit,
            start_to_close_timeout=DUREE_MAX,
            retry_policy=REPRISES,
        )
        if ancre.probleme:
            workflow.logger.error("Journal d'audit altéré : %s", ancre.probleme)
        return ancre
