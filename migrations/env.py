"""Alembic's environment for the read model: SQLite (aiosqlite) or PostgreSQL (asyncpg).

``store.migrations`` hands over an open connection (already inside the transaction that holds
the migration lock); without one — the ``alembic`` command line — the engine comes from
``DATABASE_URL`` like the application's. ``--sql`` (offline mode) prints the SQL instead.
"""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

import store.tables  # noqa: F401  (registers every table on SQLModel.metadata)
from core.settings import get_settings
from store.db import make_engine


def _render_item(kind: str, obj: Any, _context: AutogenContext) -> str | bool:
    """Revisions name plain SQLAlchemy types, not SQLModel's: its ``str`` columns are strings,
    its ``datetime`` columns are timestamps with time zone (aware datetimes, read back in UTC)."""
    if kind == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _options(dialect: str) -> dict[str, Any]:
    return {
        "target_metadata": SQLModel.metadata,
        # SQLite cannot ALTER most things: batch mode copies the table instead. Mind that
        # foreign keys are on (store.db) and the migration runs in one transaction: copying a
        # table that others point to (parcours, compte) needs its children handled first.
        "render_as_batch": dialect == "sqlite",
        "compare_type": True,
        "render_item": _render_item,
    }


def _migrer(connection: Connection) -> None:
    context.configure(connection=connection, **_options(connection.dialect.name))
    with context.begin_transaction():
        context.run_migrations()


async def _migrer_depuis_les_reglages() -> None:
    engine = make_engine(get_settings().effective_database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_migrer)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    url = context.config.get_main_option("sqlalchemy.url") or get_settings().effective_database_url
    context.configure(
        url=url, literal_binds=True, **_options("sqlite" if url.startswith("sqlite") else "")
    )
    with context.begin_transaction():
        context.run_migrations()
elif (connection := context.config.attributes.get("connection")) is not None:
    _migrer(connection)
else:
    asyncio.run(_migrer_depuis_les_reglages())
