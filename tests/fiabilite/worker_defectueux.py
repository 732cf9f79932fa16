"""A worker whose parcours workflow writes one timer more than the real code, only when it is
not replaying: the workflow tasks it completes are ones the real code cannot replay — what a
bad deployment, or the SDK defect of issue 25, leaves behind. The repair test runs it, for one
command, in place of `python worker.py`.

    python -m tests.fiabilite.worker_defectueux     (the environment of `python worker.py`)
"""

from __future__ import annotations

import asyncio
import logging

import httpx
from temporalio.worker import Worker

from activities.registre import activites
from core.settings import get_settings
from core.temporal import TASK_QUEUE, connect
from store.db import make_engine, session_factory
from tests.fiabilite.parcours_defectueux import ParcoursDefectueux
from worker import SANDBOX
from workflows.parcours import ParcoursWorkflow
from workflows.registre import WORKFLOWS


async def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    settings = get_settings()
    client = await connect(settings)
    engine = make_engine(settings.effective_database_url)
    workflows = [ParcoursDefectueux, *(w for w in WORKFLOWS if w is not ParcoursWorkflow)]
    async with httpx.AsyncClient(timeout=60) as http:
        worker = Worker(
            client,
            task_queue=TASK_QUEUE,
            workflows=workflows,
            activities=activites(settings, session_factory(engine), http, client, TASK_QUEUE),
            workflow_runner=SANDBOX,
        )
        async with worker:
            logging.getLogger("worker").info("Worker prêt (défectueux)")
            await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
