"""The web app alone over real HTTP, on a fresh read model with the demo accounts, and no
Temporal behind it: enough for login, logout and sessions."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

from core.settings import Settings
from devstack.demo.comptes import MOT_DE_PASSE_DEMO, creer_comptes
from store.db import create_schema, make_engine, session_factory
from tests.fixtures.plateforme import servir
from web.app import create_app


def port_libre() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    return sock


@asynccontextmanager
async def cockpit_seul(tmp_path: Path, base: str, **reglages: Any) -> AsyncIterator[str]:
    sock = port_libre()
    port = sock.getsockname()[1]
    settings = Settings(
        DATA_DIR=tmp_path,
        DATABASE_URL=base,
        PORT=port,
        PUBLIC_URL=f"http://127.0.0.1:{port}",
        TEMPORAL_ADDRESS="127.0.0.1:1",
        **reglages,
    )
    engine = make_engine(settings.effective_database_url)
    await create_schema(engine)
    async with session_factory(engine)() as session:
        await creer_comptes(session)
    await engine.dispose()
    async with servir(create_app(settings), sock):
        yield f"http://127.0.0.1:{port}"


def jeton_du_formulaire(page: httpx.Response) -> str:
    trouve = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert trouve is not None, page.text
    return trouve.group(1)


async def essayer(
    client: httpx.AsyncClient,
    email: str,
    mot_de_passe: str = MOT_DE_PASSE_DEMO,
    depuis: str = "203.0.113.10",
) -> httpx.Response:
    """What a person does at the login page, from one public address (the proxy's header)."""
    entetes = {"X-Forwarded-For": depuis}
    page = await client.get("/connexion", headers=entetes)
    return await client.post(
        "/connexion",
        headers=entetes,
        data={
            "email": email,
            "mot_de_passe": mot_de_passe,
            "csrf_token": jeton_du_formulaire(page),
            "suite": "/",
        },
    )


@asynccontextmanager
async def replique_web(
    base: str, data_dir: Path, journal: Path | None = None
) -> AsyncIterator[str]:
    """The web app started as the image starts it (``python -m uvicorn … --factory``, access
    log on), in its own process, on the read model ``base``; its output goes to ``journal``."""
    sock = port_libre()
    port = sock.getsockname()[1]
    sock.close()
    env = {
        **os.environ,
        "DATABASE_URL": base,
        "DATA_DIR": str(data_dir),
        "TEMPORAL_ADDRESS": "127.0.0.1:1",
    }
    commande = [sys.executable, "-m", "uvicorn", "web.app:create_app", "--factory"]
    with (journal or Path(os.devnull)).open("wb") as sortie:
        processus = await asyncio.create_subprocess_exec(
            *commande,
            *("--host", "127.0.0.1", "--port", str(port)),
            env=env,
            stdout=sortie,
            stderr=asyncio.subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            await _attendre_la_page(url, processus)
            yield url
        finally:
            processus.terminate()
            await asyncio.wait_for(processus.wait(), 30)


async def _attendre_la_page(url: str, processus: asyncio.subprocess.Process) -> None:
    async with httpx.AsyncClient(timeout=60, base_url=url) as client:
        for _ in range(600):  # at most about 60 s
            assert processus.returncode is None, "la réplique web s'est arrêtée"
            try:
                if (await client.get("/connexion")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("la réplique web n'a pas démarré en 60 s")
