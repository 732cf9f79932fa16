"""VigieQuotidienneWorkflow: every morning, look at every open parcours again (so that a
missed timer or a lost read-model write cannot hide a rupture), deliver partner events still
waiting, and send each référent the digest of their parcours in alerte."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from core.clock import local_day
    from core.metriques import VIGIE_DUREE
    from schemas.vigie_quotidienne import (
        BilanDigests,
        BilanReverification,
        BilanVigie,
        OptionsVigie,
        TourneeVigie,
    )

LONG = timedelta(minutes=30)
# workflow.patched() id: the run's duration is recorded (a metric, no command; the marker
# says which runs did it).
DUREE_MESUREE = "vigie-duree-mesuree"
RETRY = RetryPolicy(maximum_attempts=5, maximum_interval=timedelta(minutes=5))


@workflow.defn(name="VigieQuotidienne")
class VigieQuotidienneWorkflow:
    @workflow.run
    async def run(self, options: OptionsVigie | None = None) -> BilanVigie:
        options = options or OptionsVigie()
        tournee = TourneeVigie(jour=local_day(workflow.now()))
        reverification = await workflow.execute_activity(
            "vigie.reverifier_parcours",
            tournee,
            result_type=BilanReverification,
            start_to_close_timeout=LONG,
            heartbeat_timeout=timedelta(minutes=2),
            retry_policy=RETRY,
        )
        await workflow.sleep(timedelta(seconds=options.pause_s))
        relivres = await workflow.execute_activity(
            "partenaires.relivrer",
            tournee,
            result_type=int,
            start_to_close_timeout=LONG,
            retry_policy=RETRY,
        )
        digests = await workflow.execute_activity(
            "vigie.envoyer_digests",
            tournee,
            result_type=BilanDigests,
            start_to_close_timeout=LONG,
            retry_policy=RETRY,
        )
        if workflow.patched(DUREE_MESUREE):
            _noter_la_duree()
        return BilanVigie(reverification=reverification, relivres=relivres, digests=digests)


def _noter_la_duree() -> None:
    """From the start of the run to its end, pause included, in the worker's Prometheus metrics
    (core/metriques.runtime_du_worker: in seconds). The SDK records nothing while replaying."""
    workflow.metric_meter().create_histogram_timedelta(
        VIGIE_DUREE, "Durée d'une tournée de la vigie quotidienne, du départ à la fin"
    ).record(workflow.now() - workflow.info().start_time)
