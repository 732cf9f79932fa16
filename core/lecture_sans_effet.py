"""A query must not leave commands behind (issue 25, docs/reliability.md « La cause : une
lecture pendant la panne »).

What a worker trace of a failed worker-kill test showed (temporalio 1.35, its Rust core): a
worker that does not hold a workflow in its cache answers a query on it while a workflow task
waits, unstarted, on a dead worker's sticky queue. The query comes with the history as it is
*now*, which ends with events no task has handled yet (a partner call's completion). The core
rebuilds the workflow and runs its code on those events outside any workflow task; the
commands that produces are kept and sent with the next real task, together with that task's
own events. A replay hands all those events to the workflow at once, so it decides otherwise,
and the history no longer replays (« No command scheduled for event … », « … does not handle
HistoryEvent(… TimerStarted) »). No workflow code can avoid that: it is the same code, fed
the events in two activations instead of one.

The parade: when a query arrives right after an activation that ran new events on a workflow
the worker has just rebuilt, the workflow is evicted from the cache once the query is answered.
The kept commands go with it, and the next task rebuilds the workflow from the history, the
way a replay does. Cost: one more rebuild for a workflow read right after being rebuilt (a
worker restart, a cache eviction), none for a workflow already in the cache.

This reaches into the SDK's private parts (``Worker._workflow_worker``, its activation handler
and the bridge's ``request_workflow_eviction``): ``proteger`` fails loudly if they move, and
``tests/core/test_lecture_sans_effet.py`` checks they are there. The situation is played for
real, without randomness, by ``tests/fiabilite/reproduction_requete_pendant_panne.py`` (which
follows the server's rule for sending a query to a worker) and its test
``tests/fiabilite/test_lecture_pendant_panne.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from temporalio.bridge.proto.workflow_activation import WorkflowActivation
from temporalio.worker import Worker

log = logging.getLogger("parcours.worker")


@dataclass
class _Suivi:
    """What the worker did last with one workflow run."""

    reconstruit: bool = False  # rebuilt from history, no second task seen since
    longueur: int = 0  # history length of the last non-query activation
    nouveau: bool = False  # ... which ran events never handled before (not a replay)


class Vigile:
    """Decides, activation by activation, when a run must leave the cache."""

    def __init__(self) -> None:
        self._runs: dict[str, _Suivi] = {}
        self.evictions = 0

    def a_evincer(self, act: WorkflowActivation) -> bool:
        """Whether the run must be evicted once ``act`` is handled."""
        variantes = {job.WhichOneof("variant") for job in act.jobs}
        if "remove_from_cache" in variantes:
            self._runs.pop(act.run_id, None)
            return False
        suivi = self._runs.setdefault(act.run_id, _Suivi())
        if variantes == {"query_workflow"}:
            risque = suivi.reconstruit and suivi.nouveau and suivi.longueur == act.history_length
            suivi.reconstruit = False  # one check per rebuild: later queries hit the cache
            return risque
        if "initialize_workflow" in variantes:
            suivi.reconstruit = act.is_replaying  # a new workflow is not rebuilt from history
        elif suivi.nouveau and not act.is_replaying and act.history_length > suivi.longueur:
            suivi.reconstruit = False  # a second real task: the rebuild came from a task
        suivi.longueur, suivi.nouveau = act.history_length, not act.is_replaying
        return False


def proteger(worker: Worker) -> Vigile:
    """Install the parade on ``worker`` (before it runs)."""
    interne: Any = getattr(worker, "_workflow_worker", None)
    if interne is None or not callable(getattr(interne, "_handle_activation", None)):
        raise RuntimeError(
            "temporalio a changé : la parade « lecture sans effet » ne trouve plus le "
            "gestionnaire d'activations (core/lecture_sans_effet.py)"
        )
    vigile = Vigile()
    traiter: Callable[[WorkflowActivation], Awaitable[None]] = interne._handle_activation

    async def traiter_puis_evincer(act: WorkflowActivation) -> None:
        evincer = vigile.a_evincer(act)
        await traiter(act)
        if evincer:
            vigile.evictions += 1
            log.warning(
                "Exécution %s retirée du cache : lue juste après sa reconstruction, qui a "
                "traité des événements nouveaux ; sa prochaine tâche la reconstruira depuis "
                "l'historique (ticket 25)",
                act.run_id,
            )
            interne._bridge_worker().request_workflow_eviction(act.run_id)

    interne._handle_activation = traiter_puis_evincer
    return vigile
