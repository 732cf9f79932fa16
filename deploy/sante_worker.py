"""Health check of a worker container: is a worker of *this* host polling the task queue?

    python -m deploy.sante_worker        (docker-compose.yml runs it every 30 seconds)

A worker process can be alive and useless (connection to Temporal lost, stuck poller): the
only signal that counts is Temporal's own list of pollers of the ``parcours`` task queue,
where each worker appears as ``pid@hostname`` (the container's hostname) with the time of
its last poll. Exit code 0: healthy; 1: no recent poll from this host.
"""

from __future__ import annotations

import asyncio
import socket
import sys
from datetime import UTC, datetime, timedelta

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client

from core.settings import get_settings
from core.sortie import terminer
from core.temporal import TASK_QUEUE, connect

# A poll lasts up to about a minute, then the worker polls again at once.
RECENT = timedelta(minutes=2)


async def pollers_recents(client: Client, task_queue: str, hote: str) -> list[str]:
    """Identities of this host's workers that polled ``task_queue`` for workflow tasks lately."""
    reponse = await client.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(
            namespace=client.namespace,
            task_queue=TaskQueue(name=task_queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        )
    )
    depuis = datetime.now(UTC) - RECENT
    return [
        p.identity
        for p in reponse.pollers
        if p.identity.endswith(f"@{hote}") and p.last_access_time.ToDatetime(UTC) >= depuis
    ]


async def _principal() -> int:
    hote = socket.gethostname()
    try:
        client = await asyncio.wait_for(connect(get_settings()), 10)
        trouves = await asyncio.wait_for(pollers_recents(client, TASK_QUEUE, hote), 10)
    except Exception as err:  # any failure to ask is an unhealthy answer, with its reason
        sys.stderr.write(f"Temporal injoignable : {err}\n")
        return 1
    if not trouves:
        sys.stderr.write(f"Aucun worker de {hote} n'interroge la file « {TASK_QUEUE} »\n")
        return 1
    sys.stdout.write(f"En service : {', '.join(trouves)}\n")
    return 0


if __name__ == "__main__":
    terminer(asyncio.run(_principal()))
