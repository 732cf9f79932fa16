"""Minimal reproduction, outside the application, of the history that stops replaying after a
worker SIGKILL (issue 25, docs/reliability.md « Un défaut du SDK Temporal »).

Two variants of the smallest workflow with the parcours' shape: an Update handler that records
a command and launches a background activity (a partner call), and a main loop that wakes on
"something changed" and then runs a projection activity.

* ``annule`` — the loop waits with ``workflow.wait_condition(..., timeout=...)``, as the
  parcours did: every wake before the deadline cancels that wait's timer (``TimerCanceled``).
* ``immune`` — no timer is ever cancelled: the loop waits on the condition alone, a separate
  timer task is armed only when the deadline moves, and a stale one fires and is ignored.

Each loop starts a few workflows on a fresh worker subprocess, sends Updates to them
continuously, SIGKILLs the worker twice while they arrive (restarted a second later), ends the
workflows, then replays every history from scratch with ``temporalio.worker.Replayer``. The
script stops a variant at its first unreplayable history and says after how many loops.

    python -m tests.fiabilite.reproduction_defaut_sdk --boucles 10            # both variants
    python -m tests.fiabilite.reproduction_defaut_sdk --variante annule --boucles 20

It starts its own ``temporal server start-dev`` (free ports, SQLite in a temporary directory)
and kills everything it started on exit. Re-run it against a new SDK release: if ``annule``
no longer fails in many loops, the SDK may be fixed (then also
``test_rejeu.py::test_defaut_connu_du_sdk_toujours_present`` fails).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import signal
import subprocess
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

from core.settings import ROOT

FILE = "reproduction-defaut-sdk"
ECHEANCE = timedelta(hours=1)
APPEL = timedelta(seconds=3)  # an interrupted call is retried by the new worker after this


@activity.defn(name="appeler")
async def appeler(i: int) -> int:
    """A partner call: slow enough to be in flight when the worker dies."""
    await asyncio.sleep(0.8)
    return i


@activity.defn(name="publier")
async def publier(n: int) -> int:
    """The projection written after each change."""
    await asyncio.sleep(0.05)
    return n


class _Base:
    def __init__(self) -> None:
        self.sale = False
        self.fini = False
        self.n = 0
        self.appels: list[asyncio.Task[None]] = []

    @workflow.update(name="commander")
    async def commander(self, i: int) -> int:
        self.n += 1
        self.sale = True
        self.appels.append(asyncio.create_task(self._appeler(i)))
        self.deadline_moved()
        return self.n

    @workflow.signal(name="finir")
    def finir(self) -> None:
        self.fini = True

    async def _appeler(self, i: int) -> None:
        await workflow.execute_activity(
            appeler, i, start_to_close_timeout=APPEL, schedule_to_close_timeout=timedelta(minutes=5)
        )
        self.sale = True

    def deadline_moved(self) -> None:
        """Overridden by the immune variant."""

    def termine(self) -> bool:
        return self.fini and all(t.done() for t in self.appels) and not self.sale

    async def publier(self) -> None:
        self.sale = False
        await workflow.execute_activity(publier, self.n, start_to_close_timeout=APPEL)


@workflow.defn(name="ReproAnnule")
class ReproAnnule(_Base):
    """The parcours' former loop: a bounded wait whose timer is cancelled on every early wake."""

    @workflow.run
    async def run(self) -> int:
        while not self.termine():
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(lambda: self.sale or self.termine(), timeout=ECHEANCE)
            if self.sale:
                await self.publier()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.n


@workflow.defn(name="ReproImmune")
class ReproImmune(_Base):
    """No timer is ever cancelled: the loop waits on the condition only; a timer task, armed
    when the deadline moves, raises a flag when it fires (a stale one is ignored)."""

    def __init__(self) -> None:
        super().__init__()
        self.echeance = workflow.now() + ECHEANCE
        self.armee: object = None
        self.reveil = False
        self.minuteries: list[asyncio.Task[None]] = []  # never cancelled, left to fire

    def deadline_moved(self) -> None:
        # The deadline moves with each command here (the worst case: a timer per command).
        self.echeance = workflow.now() + ECHEANCE
        self._armer()

    def _armer(self) -> None:
        if self.armee != self.echeance:
            self.armee = self.echeance
            self.minuteries.append(asyncio.create_task(self._minuterie(self.echeance)))

    async def _minuterie(self, moment: object) -> None:
        await workflow.sleep(ECHEANCE)
        if moment == self.echeance:
            self.reveil = True

    @workflow.run
    async def run(self) -> int:
        self._armer()
        while not self.termine():
            await workflow.wait_condition(lambda: self.sale or self.reveil or self.termine())
            self.reveil = False
            if self.sale:
                await self.publier()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.n


VARIANTES = {"annule": "ReproAnnule", "immune": "ReproImmune"}


# --- the worker subprocess ------------------------------------------------------------------


async def _worker(adresse: str) -> None:
    client = await Client.connect(adresse)
    async with Worker(
        client,
        task_queue=FILE,
        workflows=[ReproAnnule, ReproImmune],
        activities=[appeler, publier],
        workflow_runner=UnsandboxedWorkflowRunner(),
    ):
        print("pret", flush=True)
        await asyncio.Event().wait()


# --- the driver -----------------------------------------------------------------------------


@dataclass
class Bilan:
    variante: str
    boucles: int = 0
    updates: int = 0
    morts: int = 0
    expirees: int = 0  # workflow tasks lost with the dead worker's sticky queue
    risquees: int = 0  # then a task cancelling a timer, then accepting an Update
    echecs: dict[str, str] = field(default_factory=dict)
    fichier: Path | None = None


def _sequences(histoire: WorkflowHistory) -> tuple[int, int]:
    """Count the defect's preconditions in a history: a workflow task timed out, then the next
    completed task's commands cancel a timer *before* accepting an Update (the order of the
    saved defective history; the replay puts the acceptance first)."""
    expirees = risquees = 0
    apres_expiration, annulee = False, False
    for e in histoire.events:
        t = e.event_type
        if t == EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
            expirees += 1
            apres_expiration = True
        elif t == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
            annulee = False
        elif t == EventType.EVENT_TYPE_TIMER_CANCELED:
            annulee = True
        elif t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
            if apres_expiration and annulee:
                risquees += 1
            apres_expiration = False
        elif t == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED and annulee:
            apres_expiration = False
    return expirees, risquees


def _lancer(commande: list[str], journal: Path) -> subprocess.Popen[bytes]:
    sortie = journal.open("ab")
    # From the repository's root, so that « python -m tests.… » finds its module.
    return subprocess.Popen(commande, stdout=sortie, stderr=subprocess.STDOUT, cwd=ROOT)


def _tuer(p: subprocess.Popen[bytes]) -> None:
    if p.poll() is None:
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=30)


def _port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def _attendre_serveur(adresse: str, delai_s: float = 90) -> Client:
    limite = time.monotonic() + delai_s
    while True:
        try:
            return await Client.connect(adresse)
        except Exception:
            if time.monotonic() > limite:
                raise
            await asyncio.sleep(0.5)


@dataclass
class Envois:
    """The référents' side: Updates sent continuously, silent for a moment after each death so
    that the calls retried by the new worker complete first (their workflow task goes to the
    dead worker's sticky queue) and the next Updates join that task — the saved history's
    order."""

    stop: asyncio.Event = field(default_factory=asyncio.Event)
    silence_jusqu_a: float = 0.0
    acceptees: int = 0


async def _envoyer(client: Client, wid: str, envois: Envois) -> None:
    i = 0
    while not envois.stop.is_set():
        attente = envois.silence_jusqu_a - time.monotonic()
        if attente > 0:
            await asyncio.sleep(attente)
        i += 1
        with contextlib.suppress(Exception):  # a dead worker: the update times out, send on
            await asyncio.wait_for(
                client.get_workflow_handle(wid).execute_update("commander", i), timeout=20
            )
            envois.acceptees += 1
        await asyncio.sleep(0.15)


async def _boucle(
    client: Client, adresse: str, variante: str, dossier: Path, n: int, bilan: Bilan
) -> None:
    journal = dossier / f"worker-{variante}-{n}.log"
    commande = [sys.executable, "-m", "tests.fiabilite.reproduction_defaut_sdk"]
    commande += ["--worker", "--adresse", adresse]
    worker = _lancer(commande, journal)
    try:
        ids = [f"{variante}-{n}-{uuid.uuid4().hex[:8]}" for _ in range(4)]
        handles = [
            await client.start_workflow(VARIANTES[variante], id=wid, task_queue=FILE) for wid in ids
        ]
        envois = Envois()
        taches = [  # two référents per parcours
            asyncio.create_task(_envoyer(client, wid, envois)) for wid in ids + ids
        ]
        for _ in range(2):  # two deaths while Updates arrive and calls are in flight
            await asyncio.sleep(3)
            _tuer(worker)
            bilan.morts += 1
            envois.silence_jusqu_a = time.monotonic() + random.uniform(3.5, 8)
            await asyncio.sleep(1)
            worker = _lancer(commande, journal)
            await asyncio.sleep(12)  # past the sticky queue's timeout (10 s)
        envois.stop.set()
        await asyncio.gather(*taches)
        bilan.updates += envois.acceptees
        for h in handles:
            await h.signal("finir")
        for h in handles:
            await asyncio.wait_for(h.result(), timeout=120)
        replayer = Replayer(
            workflows=[ReproAnnule, ReproImmune], workflow_runner=UnsandboxedWorkflowRunner()
        )
        for h in handles:
            histoire = await h.fetch_history()
            r = await replayer.replay_workflow(histoire, raise_on_replay_failure=False)
            expirees, risquees = _sequences(histoire)
            bilan.expirees += expirees
            bilan.risquees += risquees
            if expirees:  # kept for reading: the order of commands after each expiry
                (dossier / f"{h.id}.json").write_text(json.dumps(histoire.to_json_dict()))
            if r.replay_failure is not None:
                bilan.echecs[h.id] = str(r.replay_failure)[:400]
                bilan.fichier = dossier / f"{h.id}.json"
                bilan.fichier.write_text(json.dumps(histoire.to_json_dict()))
    finally:
        _tuer(worker)


async def _variante(
    client: Client, adresse: str, variante: str, boucles: int, fin: float, dossier: Path
) -> Bilan:
    bilan = Bilan(variante)
    for n in range(1, boucles + 1):
        if time.monotonic() > fin:
            print(f"[{variante}] temps écoulé après {bilan.boucles} boucles", flush=True)
            break
        debut = time.monotonic()
        await _boucle(client, adresse, variante, dossier, n, bilan)
        bilan.boucles = n
        etat = "NON REJOUABLE" if bilan.echecs else "rejouable"
        print(
            f"[{variante}] boucle {n}: {etat} ({time.monotonic() - debut:.0f} s, "
            f"{bilan.updates} updates, {bilan.morts} SIGKILL, {bilan.expirees} tâches expirées, "
            f"{bilan.risquees} séquences à risque au total)",
            flush=True,
        )
        if bilan.echecs:
            break
    return bilan


async def _main(
    variantes: list[str], boucles: int, duree_max_s: float, dossier: Path
) -> list[Bilan]:
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
    bilans = []
    try:
        client = await _attendre_serveur(adresse)
        fin = time.monotonic() + duree_max_s
        for v in variantes:
            bilans.append(await _variante(client, adresse, v, boucles, fin, dossier))
    finally:
        _tuer(serveur)
    return bilans


def _rapport(bilans: list[Bilan], dossier: Path, garder: Path | None) -> int:
    print(f"\nJournaux et historiques : {dossier}")
    for b in bilans:
        if b.echecs:
            wid, raison = next(iter(b.echecs.items()))
            print(
                f"{b.variante}: historique NON REJOUABLE à la boucle {b.boucles} ({wid}) : {raison}"
            )
            if garder is not None and b.fichier is not None:
                garder.write_text(b.fichier.read_text())
                print(f"  gardé dans {garder}")
        else:
            print(f"{b.variante}: aucun historique non rejouable en {b.boucles} boucles")
        print(
            f"  {b.updates} updates acceptées, {b.morts} SIGKILL, {b.expirees} tâches de "
            f"workflow expirées, {b.risquees} séquences à risque (minuterie annulée puis Update "
            "acceptée par la même tâche, après une expiration)"
        )
    return 1 if any(b.echecs for b in bilans if b.variante == "immune") else 0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--boucles", type=int, default=10, help="boucles au plus par variante")
    p.add_argument("--variante", choices=[*VARIANTES, "les-deux"], default="les-deux")
    p.add_argument("--duree-max", type=float, default=1800, help="secondes au plus, en tout")
    p.add_argument("--garder", type=Path, help="où copier le premier historique non rejouable")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--adresse", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.worker:
        asyncio.run(_worker(a.adresse))
        return
    variantes = list(VARIANTES) if a.variante == "les-deux" else [a.variante]
    dossier = Path(tempfile.mkdtemp(prefix="repro-defaut-sdk-"))
    bilans = asyncio.run(_main(variantes, a.boucles, a.duree_max, dossier))
    sys.exit(_rapport(bilans, dossier, a.garder))


if __name__ == "__main__":
    main()
