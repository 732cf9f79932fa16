"""Bare Temporal, for comparison: a trivial workflow that receives as many Updates and runs as
many activities as one parcours does, without the app (no HTTP, no read model, no codec, no
pydantic). ``python -m bench.nu ADRESSE NAMESPACE`` runs its worker, as worker.py runs ours."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from dataclasses import dataclass
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.worker import Worker

FILE = "bench-nu"
log = logging.getLogger("bench.nu")


@dataclass
class Etape:
    activites: int
    derniere: bool


@activity.defn(name="bench.ecrire")
async def ecrire(n: int) -> int:
    return n + 1


@workflow.defn(name="BenchNu")
class NuWorkflow:
    def __init__(self) -> None:
        self.etapes = 0
        self.fini = False

    @workflow.run
    async def run(self) -> int:
        await workflow.wait_condition(lambda: self.fini and workflow.all_handlers_finished())
        return self.etapes

    @workflow.update
    async def etape(self, e: Etape) -> int:
        for _ in range(e.activites):
            await workflow.execute_activity(
                ecrire, self.etapes, start_to_close_timeout=timedelta(seconds=30)
            )
        self.etapes += 1
        self.fini = self.fini or e.derniere
        return self.etapes


def plan(updates: int, activites: int) -> list[Etape]:
    """The activities spread evenly over the updates, the last update closing the workflow."""
    base, reste = divmod(activites, updates)
    return [Etape(base + (1 if i < reste else 0), i == updates - 1) for i in range(updates)]


async def un_parcours(client: Client, workflow_id: str, etapes: list[Etape]) -> int:
    handle = await client.start_workflow(NuWorkflow.run, id=workflow_id, task_queue=FILE)
    for e in etapes:
        await handle.execute_update(NuWorkflow.etape, e)
    return await handle.result()


async def servir(adresse: str, namespace: str) -> None:
    # the classes of the importable module, not of __main__: the sandbox re-imports it by name
    from bench import nu

    client = await Client.connect(adresse, namespace=namespace)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    worker = Worker(
        client,
        task_queue=FILE,
        workflows=[nu.NuWorkflow],
        activities=[nu.ecrire],
        max_concurrent_activities=50,  # as worker.py
    )
    async with worker:
        log.info("Worker nu prêt")
        await stop.wait()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    parser = argparse.ArgumentParser(description="Worker de la référence Temporal nue")
    parser.add_argument("adresse")
    parser.add_argument("namespace")
    args = parser.parse_args()
    asyncio.run(servir(args.adresse, args.namespace))


if __name__ == "__main__":
    main()
