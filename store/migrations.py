"""Migrations of the read-model schema (alembic; the revisions are in ``migrations/``).

    python -m store.migrations upgrade             # brings DATABASE_URL's database to the head
    python -m store.migrations current             # its revision
    python -m store.migrations check               # fails when the models and migrations differ
    python -m store.migrations revision "message"  # writes the next revision from the models

``store.db.create_schema`` calls :func:`mettre_a_jour`, so the web app, the worker and the
command-line tools all bring the database up to date when they start. Several of them may
start at once (web and worker replicas): the upgrade runs in one transaction that first takes
a lock — an advisory lock on PostgreSQL, SQLite's write lock (``BEGIN IMMEDIATE``) — so the
others wait, then find the database at the head and do nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import unicodedata
import weakref
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

import migrations
import store.tables  # noqa: F401  (registers every table on SQLModel.metadata)
from store.db import IMMEDIATE, make_engine

DOSSIER = Path(migrations.__file__).resolve().parent

# The schema that ``SQLModel.metadata.create_all`` made before migrations existed. A database
# that has our tables but no ``alembic_version`` was made that way: it is stamped at this
# revision, then upgraded like any other.
REFERENCE = "0001"

# Key of the PostgreSQL advisory lock held while migrating (any constant of our own).
VERROU = 0x70617263  # "parc"


def configuration(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(DOSSIER))
    config.set_main_option("file_template", "v%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


def tete() -> str | None:
    """The latest revision of ``migrations/versions``."""
    return ScriptDirectory.from_config(configuration()).get_current_head()


def _verrouiller(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:cle)"), {"cle": VERROU})
    # SQLite: the transaction began with BEGIN IMMEDIATE, which holds the write lock.


def _mettre_a_jour(connection: Connection) -> None:
    _verrouiller(connection)
    config = configuration(connection)
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" not in tables and tables & set(SQLModel.metadata.tables):
        command.stamp(config, REFERENCE)
    command.upgrade(config, "head")


async def _dans_une_transaction(engine: AsyncEngine, fn: Any) -> Any:
    async with engine.connect() as connection:
        await connection.execution_options(**{IMMEDIATE: True})
        async with connection.begin():
            return await connection.run_sync(fn)


# Alembic's ``context`` is one global of the process: two migrations interleaved on one event
# loop (several engines starting together, each awaiting its driver) would install and remove
# it under each other (« KeyError: 'config' »). So one at a time within a process; between
# processes, the database's own lock (above) decides. One lock per event loop, since an
# asyncio lock belongs to the loop it first waited on.
_VERROUS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def _verrou_du_processus() -> asyncio.Lock:
    return _VERROUS.setdefault(asyncio.get_running_loop(), asyncio.Lock())


async def mettre_a_jour(engine: AsyncEngine) -> None:
    """Bring the database to the head revision (adopting one made by ``create_all``)."""
    async with _verrou_du_processus():
        await _dans_une_transaction(engine, _mettre_a_jour)


def _revision_actuelle(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def revision_actuelle(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(_revision_actuelle)


def _differences(connection: Connection) -> list[Any]:
    contexte = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(contexte, SQLModel.metadata))


async def differences(engine: AsyncEngine) -> list[Any]:
    """What autogenerate would write: the models' schema against the database's (``[]``: same)."""
    async with engine.connect() as connection:
        return await connection.run_sync(_differences)


async def _nouvelle_revision(message: str) -> None:
    """Autogenerate against a scratch SQLite database brought to the head: no server needed."""
    # The message names the file too: keep it ASCII ("schéma" → "schema").
    message = unicodedata.normalize("NFKD", message).encode("ascii", "ignore").decode()
    with tempfile.TemporaryDirectory() as dossier:
        engine = make_engine(f"sqlite+aiosqlite:///{Path(dossier) / 'revision.db'}")
        try:
            await mettre_a_jour(engine)
            head = tete()
            suivante = f"{int(head) + 1:04d}" if head else REFERENCE

            def ecrire(connection: Connection) -> None:
                config = configuration(connection)
                # The new file is formatted and its imports sorted like the rest of the code.
                hooks = {"hooks": "tri, format"}
                for nom, options in (("tri", "check --fix --select I"), ("format", "format")):
                    hooks |= {f"{nom}.type": "module", f"{nom}.module": "ruff"}
                    hooks[f"{nom}.options"] = f"{options} REVISION_SCRIPT_FILENAME"
                for cle, valeur in hooks.items():
                    config.set_section_option("post_write_hooks", cle, valeur)
                command.revision(config, message, autogenerate=True, rev_id=suivante)

            await _dans_une_transaction(engine, ecrire)
        finally:
            await engine.dispose()


def _dire(*lignes: str) -> None:
    sys.stdout.write("".join(f"{ligne}\n" for ligne in lignes))


async def _principal(args: argparse.Namespace) -> int:
    from core.settings import get_settings

    if args.commande == "revision":
        await _nouvelle_revision(args.message)
        return 0
    url = get_settings().effective_database_url
    engine = make_engine(url)
    try:
        if args.commande == "upgrade":
            avant = await revision_actuelle(engine)
            await mettre_a_jour(engine)
            apres = await revision_actuelle(engine)
            _dire(f"Base {engine.url.render_as_string()} : {avant or 'vide'} → {apres}")
        elif args.commande == "current":
            _dire(await revision_actuelle(engine) or "aucune révision")
        elif args.commande == "check":
            await mettre_a_jour(engine)
            if ecarts := await differences(engine):
                _dire("Les modèles diffèrent des migrations :", *(f"  {e}" for e in ecarts))
                return 1
            _dire("Les migrations produisent exactement le schéma des modèles.")
    finally:
        await engine.dispose()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m store.migrations", description=__doc__)
    sous = parser.add_subparsers(dest="commande", required=True)
    sous.add_parser("upgrade", help="amène la base (DATABASE_URL) à la dernière révision")
    sous.add_parser("current", help="affiche la révision de la base")
    sous.add_parser("check", help="vérifie que les migrations produisent le schéma des modèles")
    revision = sous.add_parser("revision", help="écrit la révision suivante depuis les modèles")
    revision.add_argument("message")
    logging.getLogger("alembic.runtime.migration").addFilter(
        lambda r: r.getMessage().startswith("Running")  # not "Context impl…" at every step
    )
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    return asyncio.run(_principal(parser.parse_args(argv)))


if __name__ == "__main__":
    from core import journaux

    journaux.commande("migrations")  # alembic's « Running upgrade -> 0001… » lines, at INFO
    sys.exit(main())
