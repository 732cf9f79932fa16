"""Engine and sessions. SQLite (WAL) by default under var/, PostgreSQL when DATABASE_URL says so."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

SessionFactory = async_sessionmaker[AsyncSession]


def make_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 60})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    return create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, open transactions (see _sqlite_begin_immediate).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


IMMEDIATE = "parcours_ecriture"


def _sqlite_begin(conn: Any) -> None:
    """Write transactions take SQLite's write lock when they start (BEGIN IMMEDIATE): a read
    transaction that later writes would fail at once ("database is locked") whenever another
    process wrote in between, instead of waiting its turn. Reads stay deferred and concurrent."""
    conn.exec_driver_sql(
        "BEGIN IMMEDIATE" if conn.get_execution_options().get(IMMEDIATE) else "BEGIN"
    )


async def ecriture(session: AsyncSession) -> None:
    """Start a write transaction now (ends the current read one). Call before changing rows."""
    if session.in_transaction():
        await session.commit()
    await session.connection(execution_options={IMMEDIATE: True})


def session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def create_schema(engine: AsyncEngine) -> None:
    """Bring the database to the latest schema: the alembic migrations of ``migrations/``
    (a database made by ``create_all`` before migrations existed is adopted). Safe to call
    from several processes at once: see ``store.migrations``."""
    from store.migrations import mettre_a_jour

    await mettre_a_jour(engine)


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"
