"""The embedded stack, started as `make run` starts it but on free loopback ports and in a
temporary directory: one `temporal server start-dev` (SQLite file, WAL) for the whole bench,
and per measure its own namespace, read model, simulator, worker (`python worker.py`) and
web app (uvicorn), each a real process whose output goes to a log file."""

from __future__ import annotations

import asyncio
import ctypes
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from temporalio.client import Client

from core.settings import ROOT, Settings
from core.temporal import connect
from devstack import temporal_dev
from devstack.demo.comptes import base_avec_comptes

PY = sys.executable
HOTE = "127.0.0.1"
PR_SET_PDEATHSIG = 1


def port_libre() -> int:
    with socket.socket() as s:
        s.bind((HOTE, 0))
        return int(s.getsockname()[1])


def _mourir_avec_le_parent() -> None:
    """A child gets SIGTERM if the bench dies, so that no process outlives it."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Processus:
    nom: str
    popen: subprocess.Popen[bytes]
    journal: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def fin_du_journal(self, lignes: int = 30) -> str:
        texte = self.journal.read_text(errors="replace") if self.journal.exists() else ""
        return "\n".join(texte.splitlines()[-lignes:])

    def verifier_vivant(self) -> None:
        if self.popen.poll() is not None:
            raise RuntimeError(
                f"Le processus « {self.nom} » s'est arrêté (code {self.popen.returncode}) :\n"
                + self.fin_du_journal()
            )

    def arreter(self, delai_s: float = 15) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=delai_s)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=5)


def lancer(nom: str, commande: list[str], env: dict[str, str], dossier: Path) -> Processus:
    journal = dossier / f"{nom}.log"
    with journal.open("ab") as sortie:
        popen = subprocess.Popen(
            commande,
            cwd=ROOT,
            stdout=sortie,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
            preexec_fn=_mourir_avec_le_parent,
        )
    return Processus(nom, popen, journal)


@dataclass
class Temporal:
    """The bench's own dev server: every measure gets a namespace of its own."""

    adresse: str
    processus: Processus
    namespaces: list[str]


async def attendre_namespace(adresse: str, namespace: str, delai_s: float = 60) -> None:
    limite = time.monotonic() + delai_s
    while True:
        try:
            client = await Client.connect(adresse, namespace=namespace)
            await client.list_workflows("").__anext__()
            return
        except StopAsyncIteration:
            return
        except Exception:
            if time.monotonic() > limite:
                raise
            await asyncio.sleep(0.3)


@asynccontextmanager
async def temporal(dossier: Path, namespaces: list[str]) -> AsyncIterator[Temporal]:
    port = port_libre()
    s = Settings(DATA_DIR=dossier, TEMPORAL_PORT=port, TEMPORAL_UI_PORT=port_libre())
    commande = [*temporal_dev.commande(s), "--headless"]
    for ns in namespaces:
        commande += ["--namespace", ns]
    p = lancer("temporal", commande, {}, dossier)
    try:
        adresse = f"{HOTE}:{port}"
        for ns in namespaces:
            await attendre_namespace(adresse, ns)
        yield Temporal(adresse, p, namespaces)
    finally:
        p.arreter()


@dataclass
class Application:
    """Simulator, worker and web app of one measure, with an API token per demo account."""

    settings: Settings
    env: dict[str, str]
    url: str
    jetons: dict[str, str]
    processus: dict[str, Processus] = field(default_factory=dict)

    def client_http(
        self, compte_id: str | None = None, connexions: int = 100, delai_s: float = 120
    ) -> httpx.AsyncClient:
        entetes = {"Authorization": f"Bearer {self.jetons[compte_id]}"} if compte_id else {}
        limites = httpx.Limits(max_connections=connexions, max_keepalive_connections=connexions)
        return httpx.AsyncClient(
            base_url=self.url, headers=entetes, timeout=delai_s, limits=limites
        )

    async def temporal(self) -> Client:
        return await connect(self.settings)

    def verifier(self) -> None:
        for p in self.processus.values():
            p.verifier_vivant()

    def compteur_cpu(self, temporal: Temporal) -> CompteurCpu:
        pids: dict[str, int | None] = {n: p.pid for n, p in self.processus.items()}
        return CompteurCpu({**pids, "temporal": temporal.processus.pid, "client": None})


def environnement(
    dossier: Path, temporal: Temporal, namespace: str, database_url: str, **extra: str
) -> dict[str, str]:
    dossier.mkdir(parents=True, exist_ok=True)
    web, simulateur = port_libre(), port_libre()
    return {
        "DATA_DIR": str(dossier),
        "DATABASE_URL": database_url or f"sqlite+aiosqlite:///{dossier / 'parcours.db'}",
        "TEMPORAL_ADDRESS": temporal.adresse,
        "TEMPORAL_NAMESPACE": namespace,
        "PORT": str(web),
        "HOST": HOTE,
        "PUBLIC_URL": f"http://{HOTE}:{web}",
        "SIMULATOR_PORT": str(simulateur),
        "PARTNER_BASE_URL": f"http://{HOTE}:{simulateur}",
        "SMTP_HOST": HOTE,
        "SMTP_PORT": str(port_libre()),
        "PLATFORM_URL": f"http://{HOTE}:{web}",
        "DEMO_DATA": "false",
        **extra,
    }


async def preparer_base(settings: Settings) -> dict[str, str]:
    """Schema, demo accounts and one API token per account (what an API client would hold)."""
    return await base_avec_comptes(settings.effective_database_url, "bench")


# A bound against a hang, not a speed goal: on a 2-core machine shared with test suites
# (load 20 and more), the web app took more than 90 s to import and answer /healthz.
DEMARRAGE_S = 240


async def attendre_http(url: str, processus: list[Processus], delai_s: float = DEMARRAGE_S) -> None:
    limite = time.monotonic() + delai_s
    async with httpx.AsyncClient(timeout=5) as client:
        while True:
            for p in processus:
                p.verifier_vivant()
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > limite:
                raise RuntimeError(f"{url} ne répond pas après {delai_s:.0f} s")
            await asyncio.sleep(0.2)


async def attendre_journal(p: Processus, texte: str, delai_s: float = DEMARRAGE_S) -> None:
    limite = time.monotonic() + delai_s
    while texte not in p.fin_du_journal(200):
        p.verifier_vivant()
        if time.monotonic() > limite:
            raise RuntimeError(f"« {p.nom} » n'a pas écrit « {texte} » après {delai_s:.0f} s")
        await asyncio.sleep(0.2)


@asynccontextmanager
async def application(
    dossier: Path, temporal: Temporal, namespace: str, database_url: str = "", **extra: str
) -> AsyncIterator[Application]:
    env = environnement(dossier, temporal, namespace, database_url, **extra)
    settings = Settings(**env)  # type: ignore[arg-type]
    jetons = await preparer_base(settings)
    app = Application(settings, env, env["PUBLIC_URL"], jetons)
    try:
        app.processus["simulateur"] = lancer(
            "simulateur", [PY, "-m", "simulator", "serve"], env, dossier
        )
        app.processus["worker"] = lancer("worker", [PY, "worker.py"], env, dossier)
        app.processus["web"] = lancer(
            "web",
            [
                *(PY, "-m", "uvicorn", "web.app:create_app", "--factory", "--host", HOTE),
                *("--port", env["PORT"], "--no-access-log", "--log-level", "warning"),
            ],
            env,
            dossier,
        )
        await attendre_http(f"{app.url}/healthz", list(app.processus.values()))
        await attendre_journal(app.processus["worker"], "Worker prêt")
        await attendre_http(
            f"{env['PARTNER_BASE_URL']}/_simulateur/recus", list(app.processus.values())
        )
        yield app
    finally:
        for nom in ("web", "worker", "simulateur"):
            if nom in app.processus:
                app.processus[nom].arreter()


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_s(pid: int | None = None) -> float:
    """CPU time (user + system) used so far by a process, or by the bench itself."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    champs = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(champs[11]) + int(champs[12])) / TICKS


@dataclass
class CompteurCpu:
    """CPU used by each process between ``depart()`` and ``par()``."""

    pids: dict[str, int | None]
    _depart: dict[str, float] = field(default_factory=dict)

    def depart(self) -> None:
        self._depart = {nom: cpu_s(pid) for nom, pid in self.pids.items()}

    def par(self, unites: int) -> dict[str, float]:
        """Milliseconds of CPU per unit (parcours, event), by process."""
        return {
            nom: (cpu_s(pid) - self._depart[nom]) * 1000 / max(unites, 1)
            for nom, pid in self.pids.items()
        }


def texte_cpu(par_unite: dict[str, float]) -> str:
    detail = ", ".join(f"{nom} {ms:.0f}" for nom, ms in par_unite.items())
    return f"{sum(par_unite.values()):.0f} ms ({detail})"


def rss_mio(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process, in MiB, from /proc."""
    valeurs: dict[str, float] = {}
    for ligne in Path(f"/proc/{pid}/status").read_text().splitlines():
        cle, _, reste = ligne.partition(":")
        if cle in ("VmRSS", "VmHWM"):
            valeurs[cle] = int(reste.split()[0]) / 1024
    return valeurs.get("VmRSS", 0.0), valeurs.get("VmHWM", 0.0)
