"""A test web app starts while a coroutine of the tests' event loop holds SQLite's write lock,
as the worker's projection does between two statements. Its lifespan brings the schema to the
head under that lock: the start must be awaited without stopping the loop, or the two wait for
each other (``test_fiche_sans_temporal.py`` fell so under load: « n'a pas démarré en 30 s »)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from core.settings import Settings
from store.db import create_schema, ecriture, make_engine, session_factory
from tests.fixtures.plateforme import _free_socket, servir
from web.app import create_app


async def test_l_application_de_test_demarre_pendant_une_projection(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'lecture.db'}"
    engine = make_engine(url)
    await create_schema(engine)
    verrou_pris = asyncio.Event()

    async def projection() -> None:
        async with session_factory(engine)() as session:
            await ecriture(session)  # BEGIN IMMEDIATE: the write lock, until the commit
            verrou_pris.set()
            await asyncio.sleep(0.5)  # the activity awaits between two statements
            await session.commit()

    tache = asyncio.create_task(projection())
    await verrou_pris.wait()
    sock = _free_socket()
    settings = Settings(DATA_DIR=tmp_path, DATABASE_URL=url, TEMPORAL_ADDRESS="127.0.0.1:1")
    try:
        async with servir(create_app(settings), sock):
            async with httpx.AsyncClient(timeout=30) as client:
                sante = await client.get(f"http://127.0.0.1:{sock.getsockname()[1]}/livez")
            assert sante.status_code == 200
        await tache  # the projection was written too
    finally:
        tache.cancel()
        await engine.dispose()
