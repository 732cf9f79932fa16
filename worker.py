"""The Temporal worker: runs the parcours workflows and every activity.

python worker.py          (make run starts it for you)
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities.registre import activites
from core import journaux, metriques, production, traces
from core.lecture_sans_effet import proteger
from core.planifications import planifier_tout
from core.repartiteur import demarrer_repartiteur
from core.settings import Settings, get_settings
from core.temporal import TASK_QUEUE, connect
from observatoire.planification import planifier_instantanes
from store.db import create_schema, make_engine, session_factory
from workflows.registre import WORKFLOWS

log = logging.getLogger("parcours.worker")

# Our schemas, rules and helpers are deterministic: share them with the sandbox instead of
# re-importing them per workflow run (faster, and one class identity for pydantic models).
# The parcours' steps and publication too: re-imported for every new parcours, they were
# a third of the worker's CPU when an import opens thousands (docs/bench.md, « Import »);
# they hold constants only, no state a run could leave to the next.
SANDBOX = SandboxedWorkflowRunner(
    restrictions=SandboxRestrictions.default.with_passthrough_modules(
        "schemas",
        "rules",
        "core",
        "referentiels",
        "workflows.transitions",
        "workflows.declaration",  # the commands' declarations, gathered by transitions
        "workflows.conditions",
        "workflows.phases",
        "workflows.etapes",
        "workflows.publication",
        "workflows.minuterie",
        "yaml",
        "opentelemetry",  # the tracing interceptor's spans, when traces are on (core/traces.py)
    )
)


@asynccontextmanager
async def running_worker(
    client: Client,
    settings: Settings,
    *,
    task_queue: str = TASK_QUEUE,
    cache: int = 1000,
    repartiteur: bool = True,
) -> AsyncIterator[Worker]:
    """A started worker with its database and HTTP clients, stopped on exit. ``cache``:
    workflows kept in memory between tasks (``python worker.py`` reads WORKER_CACHE).
    ``repartiteur``: start the dispatcher of partner events if it does not run (not on a
    time-skipping test server: its endless activity would stop the clock)."""
    engine = make_engine(settings.effective_database_url)
    await create_schema(engine)
    async with httpx.AsyncClient() as http:
        worker = Worker(
            client,
            task_queue=task_queue,
            workflows=WORKFLOWS,
            activities=activites(settings, session_factory(engine), http, client, task_queue),
            max_concurrent_activities=50,
            max_cached_workflows=cache,
            workflow_runner=SANDBOX,
        )
        proteger(worker)  # a query must not leave commands behind (issue 25)
        async with worker:
            if repartiteur:
                await demarrer_repartiteur(client, task_queue)
            yield worker
    await engine.dispose()


async def main() -> None:
    settings = get_settings()
    journaux.installer(settings.format_des_journaux, settings=settings)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per partner call is noise
    production.verifier(settings)  # development secrets in production: refuse to start
    traces.installer("parcours-worker", settings.otel_endpoint)  # off without a collector
    # The SDK's own Prometheus metrics (activities and their failures by type, schedule-to-
    # start latencies, slots, sticky cache), on a port of their own: the worker has no HTTP
    # server, and the SDK's exporter is served by its core (Rust), not by Python.
    client = await connect(
        settings, runtime=metriques.runtime_du_worker(settings.worker_metrics_address)
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with running_worker(client, settings, cache=settings.worker_cache):
        await planifier_instantanes(client, TASK_QUEUE)
        await planifier_tout(client, TASK_QUEUE)
        log.info(
            "Worker prêt sur %s (file « %s »)", settings.effective_temporal_address, TASK_QUEUE
        )
        await stop.wait()
    traces.desinstaller()  # the last spans flushed
    log.info("Worker arrêté")


if __name__ == "__main__":
    asyncio.run(main())
