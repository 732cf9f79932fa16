"""The platform as it runs for real, in processes a test can kill: `temporal server start-dev`
on a SQLite file (the same command as `make run`), `python worker.py`, the web app under
uvicorn, and the partner simulator (HTTP and SMTP, in a thread of the test process so that its
failure modes and what it received can be read directly).

Every wait is bounded; each process writes its output to a file of the test's directory, which
a failing test names.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

import httpx
from sqlmodel import select
from temporalio.client import Client

from core.settings import DEV_CODEC_KEY, ROOT, Settings
from core.temporal import data_converter
from devstack import temporal_dev
from devstack.demo.comptes import creer_comptes
from store.comptes import Compte
from store.db import SessionFactory, create_schema, make_engine, session_factory
from tests.fixtures.simulateur import Simulateur
from web.securite.sessions import creer_jeton

T = TypeVar("T")
PRET = "Worker prêt"


def port_libre() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def attendre(
    quoi: Callable[[], Awaitable[T | None]],
    message: str,
    delai_s: float = 60,
    pas_s: float = 0.2,
    *,
    diagnostic: Callable[[], Awaitable[str]] | None = None,
) -> T:
    """Poll until ``quoi`` returns something truthy, at most ``delai_s`` seconds. On failure,
    ``diagnostic`` says what the system was doing, so that one red run is enough to see why."""
    limite = asyncio.get_running_loop().time() + delai_s
    while True:
        if found := await quoi():
            return found
        if asyncio.get_running_loop().time() > limite:
            constat = f"\n{await diagnostic()}" if diagnostic is not None else ""
            raise AssertionError(f"Toujours rien après {delai_s:.0f} s : {message}{constat}")
        await asyncio.sleep(pas_s)


@dataclass
class Processus:
    """One child process, started, SIGKILLed and restarted by the test (never by name)."""

    nom: str
    commande: list[str]
    env: dict[str, str]
    journal: Path
    process: subprocess.Popen[bytes] | None = None
    demarrages: int = 0
    tues: int = 0
    _sortie: IO[bytes] | None = None

    @property
    def vivant(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def demarrer(self) -> None:
        assert not self.vivant, f"{self.nom} tourne déjà"
        self._sortie = self.journal.open("ab")
        self._sortie.write(f"\n===== démarrage n° {self.demarrages + 1} =====\n".encode())
        self._sortie.flush()
        self.process = subprocess.Popen(
            self.commande,
            cwd=ROOT,
            env=self.env,
            stdout=self._sortie,
            stderr=subprocess.STDOUT,
        )
        self.demarrages += 1

    def tuer(self) -> None:
        """SIGKILL: no cleanup, no goodbye — a crash, an OOM kill, a power cut."""
        assert self.process is not None, f"{self.nom} n'a jamais démarré"
        assert self.vivant, f"{self.nom} ne tourne pas"
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self.tues += 1
        self._fermer()

    def arreter(self) -> None:
        if self.process is not None and self.vivant:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._fermer()

    def _fermer(self) -> None:
        if self._sortie is not None:
            self._sortie.close()
            self._sortie = None

    def texte(self) -> str:
        return self.journal.read_text(errors="replace") if self.journal.exists() else ""

    def fin(self, lignes: int = 40) -> str:
        """The end of the journal, for a failure message."""
        return "\n".join(self.texte().splitlines()[-lignes:])


@dataclass
class Systeme:
    dossier: Path
    settings: Settings  # what every process reads from its environment
    simulateur: Simulateur
    temporal: Processus
    worker: Processus
    web: Processus
    sessions: SessionFactory
    jetons: dict[str, str] = field(default_factory=dict)
    client: Client | None = None

    # --- building ------------------------------------------------------------------------

    @classmethod
    def preparer(cls, dossier: Path, simulateur: Simulateur) -> Systeme:
        web_port = port_libre()
        settings = Settings(
            DATA_DIR=dossier,
            DATABASE_URL=f"sqlite+aiosqlite:///{dossier / 'lecture.db'}",
            TEMPORAL_ADDRESS="",  # the embedded server's command line, then its address below
            TEMPORAL_PORT=port_libre(),
            TEMPORAL_UI_PORT=port_libre(),
            HOST="127.0.0.1",
            PORT=web_port,
            PUBLIC_URL=f"http://127.0.0.1:{web_port}",
            PARTNER_BASE_URL=simulateur.settings.effective_partner_base_url,
            SMTP_HOST=simulateur.settings.smtp_host,
            SMTP_PORT=simulateur.settings.smtp_port,
            DEMO_DATA=False,
        )
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("PARTNER_", "TEMPORAL_"))},
            "PYTHONUNBUFFERED": "1",
            "DATA_DIR": str(dossier),
            "DATABASE_URL": settings.effective_database_url,
            "TEMPORAL_ADDRESS": settings.effective_temporal_address,
            "HOST": "127.0.0.1",
            "PORT": str(web_port),
            "PUBLIC_URL": settings.effective_public_url,
            "PARTNER_BASE_URL": settings.effective_partner_base_url,
            "SMTP_HOST": settings.smtp_host,
            "SMTP_PORT": str(settings.smtp_port),
            "CODEC_KEYS": DEV_CODEC_KEY,
            "DEMO_DATA": "false",
        }
        py = sys.executable
        web = [py, "-m", "uvicorn", "web.app:create_app", "--factory", "--no-access-log"]
        web += ["--host", "127.0.0.1", "--port", str(web_port)]
        return cls(
            dossier=dossier,
            settings=settings,
            simulateur=simulateur,
            temporal=Processus(
                "temporal",
                [*temporal_dev.commande(settings), "--headless"],
                env,
                dossier / "temporal.log",
            ),
            worker=Processus("worker", [py, "worker.py"], env, dossier / "worker.log"),
            web=Processus("web", web, env, dossier / "web.log"),
            sessions=session_factory(make_engine(settings.effective_database_url)),
        )

    async def installer(self) -> None:
        """The database with the demo accounts and an API token for each."""
        engine = make_engine(self.settings.effective_database_url)
        await create_schema(engine)
        async with session_factory(engine)() as session:
            await creer_comptes(session)
            for compte in (await session.exec(select(Compte))).all():
                self.jetons[compte.id] = await creer_jeton(session, compte, "fiabilite")
        await engine.dispose()

    # --- the Temporal server --------------------------------------------------------------

    @property
    def adresse_temporal(self) -> str:
        return f"127.0.0.1:{self.settings.temporal_port}"

    async def demarrer_temporal(self) -> None:
        self.temporal.demarrer()
        await asyncio.to_thread(
            temporal_dev.attendre_port, "127.0.0.1", self.settings.temporal_port, 60
        )

        refus: list[str] = []

        async def connecte() -> Client | None:
            try:
                client = await Client.connect(
                    self.adresse_temporal, data_converter=data_converter(DEV_CODEC_KEY)
                )
                await client.service_client.check_health()
            except RuntimeError as err:
                refus[:] = [str(err)]
                return None
            return client

        async def pourquoi() -> str:
            # once its port is open the server may still refuse (its namespace not yet made,
            # a slow start under load): say what it last answered, and what its log says
            return f"dernier refus : {refus[-1] if refus else '—'}\n{self.temporal.fin(20)}"

        self.client = await attendre(
            connecte, "serveur Temporal prêt", 60, 0.5, diagnostic=pourquoi
        )

    async def premier_demarrage_temporal(self) -> None:
        await self.demarrer_temporal()
        # closed parcours stay visible (the dev server keeps them a day by default)
        reglage = self.settings.model_copy(update={"temporal_address": self.adresse_temporal})
        await asyncio.to_thread(temporal_dev.regler_retention, reglage)

    @property
    def temporal_client(self) -> Client:
        assert self.client is not None
        return self.client

    # --- the worker and the web app ---------------------------------------------------------

    async def demarrer_worker(self) -> None:
        deja = self.worker.texte().count(PRET)
        self.worker.demarrer()

        async def pret() -> bool:
            if not self.worker.vivant:
                raise AssertionError(f"Le worker s'est arrêté : voir {self.worker.journal}")
            return self.worker.texte().count(PRET) > deja

        await attendre(pret, f"worker prêt (voir {self.worker.journal})", 90, 0.2)

    async def demarrer_web(self) -> None:
        self.web.demarrer()

        async def repond() -> bool:
            if not self.web.vivant:
                raise AssertionError(f"L'application web s'est arrêtée : voir {self.web.journal}")
            try:
                async with httpx.AsyncClient(timeout=5) as http:
                    await http.get(f"{self.settings.effective_public_url}/healthz")
            except httpx.HTTPError:
                return False
            return True

        # a bound against a hung start, not a speed goal: under two busy loops on top of a
        # loaded 2-core machine the web app took more than 60 s to import and start
        await attendre(repond, f"application web prête (voir {self.web.journal})", 180, 0.2)

    async def sain(self) -> None:
        """Every process running (a test that failed midway may have left one down)."""
        if not self.temporal.vivant:
            await self.demarrer_temporal()
        if not self.worker.vivant:
            await self.demarrer_worker()
        if not self.web.vivant:
            await self.demarrer_web()

    def arreter(self) -> None:
        for p in (self.web, self.worker, self.temporal):
            p.arreter()

    # --- talking to it ----------------------------------------------------------------------

    def http(self, compte_id: str | None = None, **kwargs: Any) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {self.jetons[compte_id]}"} if compte_id else {}
        return httpx.AsyncClient(
            base_url=self.settings.effective_public_url,
            headers=headers,
            timeout=httpx.Timeout(120, connect=5),
            **kwargs,
        )

    def journaux(self) -> str:
        return ", ".join(str(p.journal) for p in (self.temporal, self.worker, self.web))


@asynccontextmanager
async def systeme_demarre(dossier: Path, simulateur: Simulateur) -> AsyncIterator[Systeme]:
    s = Systeme.preparer(dossier, simulateur)
    await s.installer()
    try:
        await s.premier_demarrage_temporal()
        await s.demarrer_worker()
        await s.demarrer_web()
        yield s
    finally:
        s.arreter()
