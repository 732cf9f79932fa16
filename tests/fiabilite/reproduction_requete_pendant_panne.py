"""Deterministic reproduction of the histories that stop replaying after a worker SIGKILL
(issue 25, docs/reliability.md « La cause : une lecture pendant la panne »).

The worker dies; a workflow task is then scheduled on its sticky queue (an activity completed)
and waits there until it times out (10 s). Meanwhile someone **reads** the workflow (a query:
the cockpit, the API). Once the dead worker's poller has been gone long enough, the server
sends the query to the normal queue; a restarted worker, which does not have the workflow in
its cache, rebuilds it from the history — which ends with the pending task's events — and
runs workflow code on those events *outside any workflow task*. The commands this produces
are kept, and sent with the next real task, together with what that task brought (a signal,
another completion). At replay those events all come in one activation, so the workflow
decides differently: « No command scheduled for event … », « UpsertWorkflowSearchAttributes
Machine does not handle … TimerStarted », « Update machine does not handle … TimerCanceled ».

This script builds that situation on purpose, per loop and for a few workflows at once: a
signal starts a projection (6 s) and two partner calls (5.5 s and 13.5 s) on an activity worker
that is never killed; the workflow worker (a subprocess) is SIGKILLed half a second later and
restarted; 11 s after the death each workflow is queried, then signalled; the task times out
and the new worker takes it. Every history is then replayed from scratch
(``temporalio.worker.Replayer``).

    python -m tests.fiabilite.reproduction_requete_pendant_panne --boucles 3
    python -m tests.fiabilite.reproduction_requete_pendant_panne --sans-requete   # control
    python -m tests.fiabilite.reproduction_requete_pendant_panne --sans-cache     # no sticky
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from temporalio import activity, workflow
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHistory
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner, Worker

from tests.fiabilite.reproduction_defaut_sdk import _attendre_serveur, _lancer, _port, _tuer

WORKFLOWS = "repro-requete-workflows"
ACTIVITES = "repro-requete-activites"
PARALLELES = 4  # workflows per loop


@activity.defn(name="publier")
async def publier(n: int) -> int:
    await asyncio.sleep(15.0)  # still in flight when the worker dies
    return n


@activity.defn(name="appeler")
async def appeler(secondes: float) -> float:
    await asyncio.sleep(secondes)
    return secondes


@workflow.defn(name="ReproSignal")
class ReproSignal:
    """The parcours' shape, reduced: news (signals, call results) mark the state to publish;
    the main loop publishes once per wake-up."""

    def __init__(self) -> None:
        self.a_publier = False
        self.fini = False
        self.publications = 0
        self.appels: list[asyncio.Task[None]] = []

    @workflow.signal(name="nouvelle")
    def nouvelle(self, appel: bool) -> None:
        self.a_publier = True
        if appel:  # two partner calls: one ends before the query, one after
            self.appels.append(asyncio.create_task(self._appeler(14.5)))
            self.appels.append(asyncio.create_task(self._appeler(18.5)))

    @workflow.query(name="etat")
    def etat(self) -> int:
        return self.publications

    @workflow.signal(name="finir")
    def finir(self) -> None:
        self.fini = True

    async def _appeler(self, secondes: float) -> None:
        await workflow.execute_activity(
            "appeler", secondes, task_queue=ACTIVITES, start_to_close_timeout=timedelta(seconds=30)
        )
        self.a_publier = True

    @workflow.run
    async def run(self) -> int:
        while True:
            if self.a_publier:
                self.a_publier = False
                self.publications += 1
                await workflow.execute_activity(
                    "publier",
                    self.publications,
                    task_queue=ACTIVITES,
                    start_to_close_timeout=timedelta(seconds=30),
                )
            if self.fini and all(t.done() for t in self.appels):
                return self.publications
            await workflow.wait_condition(lambda: self.a_publier or self.fini)


async def _worker(adresse: str, sans_cache: bool) -> None:
    client = await Client.connect(adresse)
    async with Worker(
        client,
        task_queue=WORKFLOWS,
        workflows=[ReproSignal],
        workflow_runner=UnsandboxedWorkflowRunner(),
        max_cached_workflows=0 if sans_cache else 1000,
    ):
        print("pret", flush=True)
        await asyncio.Event().wait()


@dataclass
class Bilan:
    boucles: int = 0
    workflows: int = 0
    expirees: int = 0  # workflow tasks lost with the dead worker's sticky queue
    fenetres: int = 0  # ... with a signal received while they waited
    echecs: dict[str, str] = field(default_factory=dict)


def _fenetres(h: WorkflowHistory) -> tuple[int, int]:
    """Timed-out tasks, and those during which a signal arrived (the defect's precondition)."""
    expirees = fenetres = 0
    planifiee, signal = False, False
    for e in h.events:
        t = e.event_type
        if t == EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
            planifiee, signal = True, False
        elif t == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
            planifiee = False
        elif t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED and planifiee:
            signal = True
        elif t == EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
            expirees += 1
            fenetres += signal
    return expirees, fenetres


def _prets(journal: Path) -> int:
    """How many times a worker said it was ready in ``journal``."""
    return journal.read_text().count("pret")


async def _attendre_pret(journal: Path, lignes_avant: int, delai_s: float = 60) -> None:
    limite = time.monotonic() + delai_s
    while await asyncio.to_thread(_prets, journal) <= lignes_avant:
        if time.monotonic() > limite:
            raise RuntimeError(f"le worker ne démarre pas : {journal}")
        await asyncio.sleep(0.1)


async def _boucle(
    client: Client, adresse: str, sans_cache: bool, requete: bool, dossier: Path
) -> Bilan:
    journal = dossier / "worker.log"
    journal.touch()
    commande = [sys.executable, "-m", "tests.fiabilite.reproduction_requete_pendant_panne"]
    commande += ["--worker", "--adresse", adresse] + (["--sans-cache"] if sans_cache else [])
    prets = await asyncio.to_thread(_prets, journal)
    worker = _lancer(commande, journal)
    await _attendre_pret(journal, prets)
    ids = [f"repro-requete-{uuid.uuid4()}" for _ in range(PARALLELES)]
    handles = [await client.start_workflow("ReproSignal", id=i, task_queue=WORKFLOWS) for i in ids]
    await asyncio.sleep(1)  # each workflow took its first task: cached, sticky queue set
    for h in handles:
        await h.signal("nouvelle", True)  # a projection (6 s) and two calls start
    await asyncio.sleep(0.5)
    _tuer(worker)  # what completes next goes to the dead worker's sticky queue
    mort = time.monotonic()
    # 11 s later the dead poller is forgotten, and no task is pending: a query is sent to
    # the normal queue, where no worker polls yet.
    await asyncio.sleep(11)
    lectures = []
    if requete:
        lectures = [asyncio.create_task(h.query("etat")) for h in handles]
    # At 14 s the first call ends (a task goes to the dead sticky queue), then the projection.
    await asyncio.sleep(max(0.0, mort + 15 - time.monotonic()))
    worker = _lancer(commande, journal)  # takes the query, with the history as it now is
    await _attendre_pret(journal, prets + 1)
    await asyncio.gather(*lectures)
    for h in handles:
        await h.signal("nouvelle", False)  # news while the task still waits
    await asyncio.sleep(max(0.0, mort + 27 - time.monotonic()))  # the task timed out
    for h in handles:
        await h.signal("finir")
    bilan = Bilan(boucles=1, workflows=len(handles))
    replayer = Replayer(workflows=[ReproSignal], workflow_runner=UnsandboxedWorkflowRunner())
    for h in handles:
        await asyncio.wait_for(h.result(), timeout=60)
        histoire = await h.fetch_history()
        (dossier / f"{h.id}.json").write_text(histoire.to_json())
        expirees, fenetres = _fenetres(histoire)
        bilan.expirees += expirees
        bilan.fenetres += fenetres
        res = await replayer.replay_workflow(histoire, raise_on_replay_failure=False)
        if res.replay_failure is not None:
            bilan.echecs[h.id] = str(res.replay_failure)[:300]
    _tuer(worker)
    return bilan


async def _main(boucles: int, sans_cache: bool, requete: bool, dossier: Path) -> Bilan:
    port = _port()
    adresse = f"127.0.0.1:{port}"
    serveur = _lancer(
        [
            *(str(Path(sys.executable).parent / "temporal"), "server", "start-dev"),
            *("--db-filename", str(dossier / "temporal.db")),
            *("--ip", "127.0.0.1", "--port", str(port), "--ui-port", str(_port()), "--headless"),
            *("--log-level", "error"),
        ],
        dossier / "serveur.log",
    )
    total = Bilan()
    try:
        client = await _attendre_serveur(adresse)
        async with Worker(client, task_queue=ACTIVITES, activities=[publier, appeler]):
            for n in range(1, boucles + 1):
                b = await _boucle(client, adresse, sans_cache, requete, dossier)
                total.boucles += 1
                total.workflows += b.workflows
                total.expirees += b.expirees
                total.fenetres += b.fenetres
                total.echecs.update(b.echecs)
                print(
                    f"boucle {n}: {b.workflows} workflows, {b.expirees} tâches expirées, "
                    f"{b.fenetres} avec un signal reçu pendant l'attente, "
                    f"{len(b.echecs)} historiques non rejouables",
                    flush=True,
                )
    finally:
        _tuer(serveur)
    return total


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--boucles", type=int, default=3)
    p.add_argument("--sans-cache", action="store_true", help="max_cached_workflows=0")
    p.add_argument("--sans-requete", action="store_true", help="nobody reads the workflow")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--adresse", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.worker:
        asyncio.run(_worker(a.adresse, a.sans_cache))
        return
    dossier = Path(tempfile.mkdtemp(prefix="repro-requete-"))
    b = asyncio.run(_main(a.boucles, a.sans_cache, not a.sans_requete, dossier))
    print(f"\nJournaux et historiques : {dossier}")
    print(
        f"{b.boucles} boucles, {b.workflows} workflows, {b.expirees} tâches expirées, "
        f"{b.fenetres} fenêtres avec signal, {len(b.echecs)} historiques non rejouables"
    )
    for wid, raison in list(b.echecs.items())[:3]:
        print(f"  {wid}: {raison}")
    sys.exit(1 if b.echecs else 0)


if __name__ == "__main__":
    main()
