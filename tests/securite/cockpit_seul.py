"""The web app alone over real HTTP, on a fresh read model with the demo accounts, and no
Temporal behind it: enough for login, logout and sessions."""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

from core.settings import Settings
from devstack.demo.comptes import MOT_DE_PASSE_DEMO, creer_comptes
from store.db import create_schema, make_engine, session_factory
from tests.fixtures.plateforme import serve_in_thread
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
    servers = serve_in_thread(create_app(settings), sock)
    next(servers)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        next(servers, None)


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
