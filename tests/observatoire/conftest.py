"""The twelve hand-built parcours in a read model (SQLite, and PostgreSQL when available), and
the web app serving it over real HTTP with the demo accounts."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from core.settings import Settings
from devstack.demo.comptes import creer_comptes
from store.comptes import Compte
from store.db import SessionFactory, create_schema, make_engine, session_factory
from tests.fixtures.plateforme import servir
from tests.fixtures.postgres import BasesDeTest
from tests.observatoire.dossiers import projeter
from tests.observatoire.jeu import DOSSIERS
from web.app import create_app
from web.securite.sessions import creer_jeton


async def _base(url: str, postgres: bool) -> tuple[SessionFactory, AsyncEngine]:
    engine = make_engine(url)
    await create_schema(engine)
    if postgres:  # a shared server: start from an empty read model
        async with engine.begin() as conn:
            await conn.execute(text("TRUNCATE parcours, observatoire_instantane CASCADE"))
    sessions = session_factory(engine)
    await projeter(sessions, DOSSIERS)
    return sessions, engine


@pytest_asyncio.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
async def lecture(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[SessionFactory]:
    """The read model holding the twelve parcours, on each database engine."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('obs') / 'lecture.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    sessions, engine = await _base(url, request.param == "postgres")
    yield sessions
    await engine.dispose()


@dataclass
class Serveur:
    base_url: str
    sessions: SessionFactory
    jetons: dict[str, str] = field(default_factory=dict)

    def client(self, compte_id: str) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {self.jetons[compte_id]}"}
        return httpx.AsyncClient(base_url=self.base_url, headers=headers, timeout=30)


@pytest_asyncio.fixture(scope="module")
async def serveur(
    tmp_path_factory: pytest.TempPathFactory, bases_de_test: BasesDeTest
) -> AsyncIterator[Serveur]:
    """The web app over real HTTP on the twelve parcours (no Temporal needed to read), on the
    engine chosen by PARCOURS_TEST_DB."""
    tmp: Path = tmp_path_factory.mktemp("obs-web")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    url = bases_de_test.nouvelle(tmp)
    sessions, engine = await _base(url, postgres=False)  # a database of its own: nothing to empty
    jetons = {}
    async with sessions() as session:
        await creer_comptes(session)
        for compte in (await session.exec(select(Compte))).all():
            jetons[compte.id] = await creer_jeton(session, compte, "tests")
    settings = Settings(DATA_DIR=tmp, DATABASE_URL=url, PORT=sock.getsockname()[1])
    try:
        async with servir(create_app(settings), sock):
            yield Serveur(f"http://127.0.0.1:{sock.getsockname()[1]}", sessions, jetons)
    finally:
        await engine.dispose()
