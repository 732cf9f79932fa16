"""Deterministic reproduction of the histories that stop replaying after a worker SIGKILL
(issue 25, docs/reliability.md « La cause : une lecture pendant la panne »).

The server's rule (temporalio/temporal, ``service/history/api/queryworkflow/api.go``): a query
goes **directly** to a worker through matching only if the workflow has no workflow task
scheduled or started when the query arrives; otherwise it is buffered and answered with the
next workflow task (its events come first). A direct query goes first to the workflow's sticky
queue, waiting up to the sticky schedule-to-start timeout (10 s with the SDK's default); matching
accepts it there as long as the sticky queue's worker polled in the last 10 s
(``stickyWorkerAvailable`` in ``service/matching/matching_engine.go``), even if that worker is
dead. When the 10 s are up the query falls back to the normal queue, and the worker that takes
it is sent the history **as it is then** (matching loads it at poll time).

So, with the worker SIGKILLed at K, just after it handled a no-op signal on each workflow
(its sticky queue polled anew; a first task comes through the normal queue):

* K+1 s  each workflow is queried: no task pending, the query waits on the dead sticky queue;
* K+5 s  a first partner call ends: its workflow task is pushed to the same dead sticky queue
  (polled less than 10 s ago), where it will time out at K+15 s;
* K+11 s the queries fall back to the normal queue; the restarted worker, which does not hold
  the workflow, rebuilds it from a history that ends with the call's completion no task has
  handled, and the SDK core runs that completion (the main loop publishes: one command, kept);
* K+13 s a second call ends, while the task still waits;
* K+15 s the task times out; the next one, on the normal queue, brings the second completion;
  the worker sends the kept command and goes on. Execution published twice (one completion,
  then the other); at replay both completions come in one activation and the workflow
  publishes once: « No command scheduled for event … ActivityTaskScheduled ». (A signal would
  not do: the Python SDK runs an activation's signals before its completions, so the workflow
  would wake twice at replay as well.)

Every history is then replayed from scratch (``temporalio.worker.Replayer``).

    python -m tests.fiabilite.reproduction_requete_pendant_panne --boucles 5
    python -m tests.fiabilite.reproduction_requete_pendant_panne --boucles 5 --avec-parade
    python -m tests.fiabilite.reproduction_requete_pendant_panne --lecture apres   # control
    python -m tests.fiabilite.reproduction_requete_pendant_panne --lecture aucune  # control

``--avec-parade`` installs ``core/lecture_sans_effet.py`` on the workflow worker (as
``worker.py`` does in production); without it the worker is a bare SDK worker. ``--lecture
apres`` queries at K+6 s, once the task is pending: the server buffers the query and answers it
with the task, and nothing goes wrong. It starts its own ``temporal server start-dev`` (free
ports, SQLite in a temporary directory). Exit status 1 if a history does not replay. Re-run it
against a new SDK release: if it no longer fails without the parade, the SDK may be fixed.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from temporalio import activity, workflow
from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client, WorkflowHandle, WorkflowHistory
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner, Worker

from tests.fiabilite.reproduction_defaut_sdk import _attendre_serveur, _lancer, _port, _tuer

WORKFLOWS = "repro-lecture-workflows"
ACTIVITES = "repro-lecture-activites"
PARALLELES = 4  # workflows per loop

# The calendar, in seconds after the SIGKILL (see the module's docstring).
LECTURES = {"avant": 1.0, "apres": 6.0}
FINS_D_APPEL = [5.0, 13.0]
FINIR = 17.0
RETRAIT = "retirée du cache"  # what the parade logs when it evicts a run


# When each workflow's worker was SIGKILLed (wall clock): the calls end by this calendar.
_MORTS: dict[str, asyncio.Future[float]] = {}


@activity.defn(name="appeler")
async def appeler(rang: int) -> None:
    """A partner call that ends ``FINS_D_APPEL[rang]`` seconds after the SIGKILL, whatever the
    machine's load (the activity worker is this process, never killed)."""
    mort = await asyncio.shield(_MORTS[str(activity.info().workflow_id)])
    await asyncio.sleep(max(0.0, mort + FINS_D_APPEL[rang] - time.time()))


@activity.defn(name="publier")
async def publier(n: int) -> int:
    """The projection written once per wake-up."""
    await asyncio.sleep(0.1)
    return n


@workflow.defn(name="ReproLecture")
class ReproLecture:
    """The parcours' shape, reduced: partner calls' results mark the state to publish, and the
    main loop publishes once per wake-up — so the number of publications depends on how the
    completions were grouped into activations."""

    def __init__(self) -> None:
        self.a_publier = False
        self.fini = False
        self.publications = 0

    @workflow.signal(name="finir")
    def finir(self) -> None:
        self.fini = True

    @workflow.signal(name="ping")
    def ping(self) -> None:
        """Nothing: its task goes through the sticky queue, so the worker polls it anew."""

    @workflow.query(name="etat")
    def etat(self) -> int:
        return self.publications

    async def _appeler(self, rang: int) -> None:
        await workflow.execute_activity(
            "appeler", rang, task_queue=ACTIVITES, start_to_close_timeout=timedelta(seconds=60)
        )
        self.a_publier = True

    @workflow.run
    async def run(self, nombre_d_appels: int) -> int:
        appels = [asyncio.create_task(self._appeler(rang)) for rang in range(nombre_d_appels)]
        while True:
            await workflow.wait_condition(
                lambda: self.a_publier or (self.fini and all(a.done() for a in appels))
            )
            if not self.a_publier:
                return self.publications
            self.a_publier = False
            self.publications += 1
            await workflow.execute_activity(
                "publier",
                self.publications,
                task_queue=ACTIVITES,
                start_to_close_timeout=timedelta(seconds=30),
            )


async def _worker(adresse: str, avec_parade: bool) -> None:
    """The workflow worker (a subprocess, so that it can be SIGKILLed)."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    client = await Client.connect(adresse)
    worker = Worker(
        client,
        task_queue=WORKFLOWS,
        workflows=[ReproLecture],
        workflow_runner=UnsandboxedWorkflowRunner(),
    )
    if avec_parade:
        from core.lecture_sans_effet import proteger

        proteger(worker)
    async with worker:
        print("pret", flush=True)
        await asyncio.Event().wait()


@dataclass
class Bilan:
    boucles: int = 0
    workflows: int = 0
    expirees: int = 0  # workflow tasks lost with the dead worker's sticky queue
    dans_la_fenetre: int = 0  # queries answered after the completion, before the expiry
    attente_lecture_s: list[float] = field(default_factory=list)  # how long each query took
    hors_fenetre: list[str] = field(default_factory=list)  # the others' timings, explained
    retraits: int = 0  # runs the parade evicted
    echecs: dict[str, str] = field(default_factory=dict)  # unreplayable histories

    def ajouter(self, autre: Bilan) -> None:
        self.boucles += autre.boucles
        self.workflows += autre.workflows
        self.expirees += autre.expirees
        self.dans_la_fenetre += autre.dans_la_fenetre
        self.attente_lecture_s += autre.attente_lecture_s
        self.hors_fenetre += autre.hors_fenetre
        self.retraits += autre.retraits
        self.echecs.update(autre.echecs)


_EXPIREE = EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT
_FIN_APPEL = EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
_TACHE_FINIE = EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED


def _instant(e: HistoryEvent) -> float:
    return e.event_time.ToDatetime(tzinfo=UTC).timestamp()


@dataclass
class Lecture:
    """One workflow's query: when it was sent and answered (wall clock)."""

    envoi: float = 0.0
    reponse: float = 0.0


def _fenetre(h: WorkflowHistory, lecture: Lecture, mort: float) -> tuple[int, str | None]:
    """Timed-out tasks, and ``None`` if the query was answered in the defect's window (after the
    first call's completion, before the second one and before the task timed out), else what
    happened, in seconds after the SIGKILL."""
    expirees = [_instant(e) - mort for e in h.events if e.event_type == _EXPIREE]
    appels = {
        e.event_id
        for e in h.events
        if e.activity_task_scheduled_event_attributes.activity_type.name == "appeler"
    }
    fins = [
        _instant(e) - mort
        for e in h.events
        if e.event_type == _FIN_APPEL
        and e.activity_task_completed_event_attributes.scheduled_event_id in appels
    ]
    envoi, reponse = lecture.envoi - mort, lecture.reponse - mort
    if (
        expirees
        and len(fins) >= 2
        and lecture.reponse
        and fins[0] < reponse < min(expirees[0], fins[1])
    ):
        return len(expirees), None
    return len(expirees), (
        f"{h.workflow_id} : lecture envoyée à {envoi:.1f} s, répondue à {reponse:.1f} s ; "
        f"fins d'appel à {', '.join(f'{f:.1f}' for f in fins)} s ; "
        f"tâche expirée à {', '.join(f'{e:.1f}' for e in expirees) or '—'} s"
    )


async def _attendre_pret(journal: Path, delai_s: float = 60) -> None:
    limite = time.monotonic() + delai_s
    while "pret" not in await asyncio.to_thread(journal.read_text):
        if time.monotonic() > limite:
            raise RuntimeError(f"le worker ne démarre pas : {journal}")
        await asyncio.sleep(0.1)


async def _jusqu_a(instant: float) -> None:
    await asyncio.sleep(max(0.0, instant - time.time()))


async def _taches_finies(handles: list[WorkflowHandle], n: int, delai_s: float = 60) -> None:
    """Wait until each workflow has ``n`` completed workflow tasks."""
    limite = time.monotonic() + delai_s
    for h in handles:
        while True:
            histoire = await h.fetch_history()
            if sum(e.event_type == _TACHE_FINIE for e in histoire.events) >= n:
                break
            if time.monotonic() > limite:
                raise RuntimeError(f"le worker ne traite pas {h.id}")
            await asyncio.sleep(0.1)


async def _lire(h: WorkflowHandle, lecture: Lecture) -> None:
    lecture.envoi = time.time()
    await h.query("etat", rpc_timeout=timedelta(seconds=60))
    lecture.reponse = time.time()


async def _boucle(
    client: Client, adresse: str, avec_parade: bool, lecture: str, dossier: Path, n: int
) -> Bilan:
    commande = [sys.executable, "-m", "tests.fiabilite.reproduction_requete_pendant_panne"]
    commande += ["--worker", "--adresse", adresse] + (["--avec-parade"] if avec_parade else [])
    journaux = [dossier / f"worker-{n}-avant.log", dossier / f"worker-{n}-apres.log"]
    worker = _lancer(commande, journaux[0])
    await _attendre_pret(journaux[0])
    ids = [f"repro-lecture-{uuid.uuid4()}" for _ in range(PARALLELES)]
    _MORTS.update((wid, asyncio.get_running_loop().create_future()) for wid in ids)
    handles = [
        await client.start_workflow("ReproLecture", len(FINS_D_APPEL), id=wid, task_queue=WORKFLOWS)
        for wid in ids
    ]
    await _taches_finies(handles, 1)  # the worker holds them: their queue is now its sticky one
    for h in handles:
        await h.signal("ping")
    await _taches_finies(handles, 2)  # ... which it has just polled anew
    _tuer(worker)  # matching still takes its sticky queue as « available » for 10 s
    mort = time.time()
    for wid in ids:
        _MORTS[wid].set_result(mort)
    worker = _lancer(commande, journaux[1])
    bilan = Bilan(boucles=1, workflows=len(handles))
    lues = {h.id: Lecture() for h in handles}
    try:
        lectures = []
        if lecture in LECTURES:
            await _jusqu_a(mort + LECTURES[lecture])
            lectures = [asyncio.create_task(_lire(h, lues[h.id])) for h in handles]
        await _attendre_pret(journaux[1])  # it must poll before the queries fall back (K+11 s)
        pret = time.time() - mort
        if pret > LECTURES["avant"] + 9:
            bilan.hors_fenetre.append(f"worker relancé prêt seulement à {pret:.1f} s")
        await asyncio.gather(*lectures)
        bilan.attente_lecture_s = [lu.reponse - lu.envoi for lu in lues.values() if lu.reponse]
        await _jusqu_a(mort + FINIR)
        for h in handles:
            await h.signal("finir")
        replayer = Replayer(workflows=[ReproLecture], workflow_runner=UnsandboxedWorkflowRunner())
        for h in handles:
            await asyncio.wait_for(h.result(), timeout=60)
            histoire = await h.fetch_history()
            (dossier / f"{h.id}.json").write_text(histoire.to_json())
            expirees, hors = _fenetre(histoire, lues[h.id], mort)
            bilan.expirees += expirees
            bilan.dans_la_fenetre += hors is None
            if hors and lecture == "avant":
                bilan.hors_fenetre.append(hors)
            res = await replayer.replay_workflow(histoire, raise_on_replay_failure=False)
            if res.replay_failure is not None:
                bilan.echecs[h.id] = str(res.replay_failure)[:300]
    finally:
        _tuer(worker)
        for wid in ids:
            _MORTS.pop(wid)
    bilan.retraits = journaux[1].read_text().count(RETRAIT)
    return bilan


async def scenario(boucles: int, avec_parade: bool, lecture: str, dossier: Path) -> Bilan:
    """Run ``boucles`` loops on a dev server of its own; ``lecture`` is ``avant`` (the defect's
    window), ``apres`` (query buffered with the task) or ``aucune``."""
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
        async with Worker(client, task_queue=ACTIVITES, activities=[appeler, publier]):
            for n in range(1, boucles + 1):
                b = await _boucle(client, adresse, avec_parade, lecture, dossier, n)
                total.ajouter(b)
                print(
                    f"boucle {n} ({datetime.now(UTC):%H:%M:%S}) : {b.workflows} workflows, "
                    f"{b.expirees} tâches expirées, {b.dans_la_fenetre} lectures dans la "
                    f"fenêtre, {b.retraits} retraits par la parade, "
                    f"{len(b.echecs)} historiques non rejouables",
                    flush=True,
                )
                for raison in b.hors_fenetre:
                    print(f"  hors de la fenêtre : {raison}", flush=True)
    finally:
        _tuer(serveur)
    return total


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--boucles", type=int, default=3)
    p.add_argument("--avec-parade", action="store_true", help="core/lecture_sans_effet.py")
    p.add_argument("--lecture", choices=["avant", "apres", "aucune"], default="avant")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--adresse", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.worker:
        asyncio.run(_worker(a.adresse, a.avec_parade))
        return
    dossier = Path(tempfile.mkdtemp(prefix="repro-lecture-"))
    b = asyncio.run(scenario(a.boucles, a.avec_parade, a.lecture, dossier))
    attentes = sorted(b.attente_lecture_s)
    print(f"\nJournaux et historiques : {dossier}")
    print(
        f"{b.boucles} boucles, {b.workflows} workflows, {b.expirees} tâches expirées, "
        f"{b.dans_la_fenetre} lectures dans la fenêtre, {b.retraits} retraits par la parade, "
        f"{len(b.echecs)} historiques non rejouables"
    )
    if attentes:
        print(f"lectures : de {attentes[0]:.1f} à {attentes[-1]:.1f} s")
    for wid, raison in list(b.echecs.items())[:3]:
        print(f"  {wid}: {raison}")
    sys.exit(1 if b.echecs else 0)


if __name__ == "__main__":
    main()
