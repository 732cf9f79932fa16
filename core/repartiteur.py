"""Starting the dispatcher of partner events: one workflow per task queue, whatever the
number of workers (its fixed id keeps a single one running, so a single reader of the
stored events, which is what keeps each parcours' order)."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy

WORKFLOW = "RepartiteurEvenements"


def identifiant(task_queue: str) -> str:
    return f"repartiteur-evenements:{task_queue}"


async def demarrer_repartiteur(client: Client, task_queue: str) -> None:
    """Idempotent: an already running dispatcher is kept."""
    await client.start_workflow(
        WORKFLOW,
        id=identifiant(task_queue),
        task_queue=task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
    )
