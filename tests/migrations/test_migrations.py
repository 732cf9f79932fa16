"""The alembic migrations build exactly the models' schema, on SQLite and on PostgreSQL;
running them again changes nothing; a database made by ``create_all`` before migrations
existed is adopted; several processes starting at once migrate once."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from alembic import command
from sqlalchemy import event, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

from store.comptes import Compte
from store.db import create_schema, make_engine, session_factory
from store.migrations import configuration, differences, revision_actuelle, tete
from tests.fixtures.postgres import ServeurPostgres

ECRITURE = re.compile(r"^\s*(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@pytest_asyncio.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def base_vide(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """The URL of an empty database, without any table."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'vide.db'}"
        return
    serveur: ServeurPostgres = request.getfixturevalue("postgres_serveur")
    url = serveur.nouvelle_base(vide=True)
    yield url
    serveur.supprimer_base(url)


@pytest_asyncio.fixture
async def moteur(base_vide: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(base_vide)
    yield engine
    await engine.dispose()


async def tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


async def ajouter_compte(engine: AsyncEngine, compte_id: str) -> None:
    async with session_factory(engine)() as session:
        session.add(
            Compte(id=compte_id, email=f"{compte_id}@spie74.fr", nom=compte_id, role="referent",
                   cree_le=datetime.now(UTC))
        )  # fmt: skip
        await session.commit()


async def comptes(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        return list((await conn.execute(text("SELECT id FROM compte ORDER BY id"))).scalars())


async def test_les_migrations_donnent_exactement_le_schema_des_modeles(moteur: AsyncEngine):
    await create_schema(moteur)

    assert await revision_actuelle(moteur) == tete()
    assert await tables(moteur) == set(SQLModel.metadata.tables) | {"alembic_version"}
    assert await differences(moteur) == []  # what autogenerate would write: nothing

    # The comparison does see a schema that drifted from the models.
    async with moteur.begin() as conn:
        await conn.execute(text("DROP INDEX ix_parcours_nom"))
    assert [d[0] for d in await differences(moteur)] == ["add_index"]


async def test_mettre_a_jour_une_seconde_fois_ne_change_rien(moteur: AsyncEngine):
    await create_schema(moteur)
    await ajouter_compte(moteur, "claire")
    executees: list[str] = []
    event.listen(
        moteur.sync_engine, "before_cursor_execute", lambda _c, _k, sql, *_: executees.append(sql)
    )

    await create_schema(moteur)

    assert executees, "the second run did look at the database"
    assert [sql for sql in executees if ECRITURE.match(sql)] == []  # no DDL, no new version
    assert await comptes(moteur) == ["claire"]
    assert await revision_actuelle(moteur) == tete()


async def test_une_base_faite_par_create_all_est_adoptee(moteur: AsyncEngine):
    """Databases made before migrations existed: their tables are there, their data kept."""
    async with moteur.begin() as conn:
        await conn.run_sync(SQLModel.metadata.create_all)
    await ajouter_compte(moteur, "claire")

    await create_schema(moteur)

    assert await revision_actuelle(moteur) == tete()
    assert await comptes(moteur) == ["claire"]
    assert await differences(moteur) == []


async def test_des_demarrages_simultanes_migrent_une_seule_fois(base_vide: str):
    """Web and worker replicas start together: one migrates, the others wait, then find the
    database at the head."""
    engines = [make_engine(base_vide) for _ in range(4)]
    try:
        await asyncio.gather(*(create_schema(e) for e in engines))
        async with engines[0].connect() as conn:
            versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
        assert [v for (v,) in versions] == [tete()]
        assert await differences(engines[0]) == []
    finally:
        for e in engines:
            await e.dispose()


async def test_les_migrations_se_defont_et_se_refont(moteur: AsyncEngine):
    await create_schema(moteur)

    def descendre(conn: Any) -> None:
        command.downgrade(configuration(conn), "base")

    async with moteur.begin() as conn:
        await conn.run_sync(descendre)
    assert await tables(moteur) == {"alembic_version"}
    assert await revision_actuelle(moteur) is None

    await create_schema(moteur)
    assert await differences(moteur) == []


def test_la_commande_de_migration(tmp_path: Path):
    """`python -m store.migrations upgrade`, as an operator runs it before a deployment."""
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'prod.db'}"}

    def lancer(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "store.migrations", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    premiere = lancer("upgrade")
    assert premiere.returncode == 0, premiere.stderr
    assert f": vide → {tete()}" in premiere.stdout
    seconde = lancer("upgrade")
    assert f": {tete()} → {tete()}" in seconde.stdout
    assert lancer("current").stdout.strip() == tete()
    verification = lancer("check")
    assert verification.returncode == 0, verification.stdout + verification.stderr
