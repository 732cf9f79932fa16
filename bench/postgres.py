"""A throwaway PostgreSQL cluster (Debian's binaries), as tests/fixtures/postgres.py starts one:
as the ``postgres`` system user when the bench runs as root, in a directory of its own."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.pile import HOTE, port_libre


def _binaire(nom: str) -> str | None:
    return shutil.which(nom) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{nom}"))), None
    )


def _en_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def disponible() -> bool:
    return _binaire("initdb") is not None and _binaire("pg_ctl") is not None


def version() -> str:
    pg_ctl = _binaire("pg_ctl")
    if pg_ctl is None:
        return "?"
    sortie = subprocess.run([pg_ctl, "--version"], capture_output=True, text=True, check=False)
    return sortie.stdout.strip().removeprefix("pg_ctl (PostgreSQL) ")


@contextmanager
def grappe() -> Iterator[str | None]:
    """The URL of a fresh cluster (fsync off: a bench, not a production setting), or None."""
    initdb, pg_ctl = _binaire("initdb"), _binaire("pg_ctl")
    if initdb is None or pg_ctl is None:
        yield None
        return
    # a directory of its own: the postgres user cannot enter the bench's (mode 0700)
    base = Path(tempfile.mkdtemp(prefix="parcours-bench-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    donnees = base / "data"
    creation = [initdb, "-D", str(donnees), "-U", "postgres", "-A", "trust", "--no-sync"]
    subprocess.run(
        _en_postgres([*creation, "-E", "UTF8"]),
        check=True,
        capture_output=True,
    )
    port = port_libre()
    options = f"-p {port} -k {base} -h {HOTE} -F -c shared_buffers=256MB"
    demarrage = [pg_ctl, "-D", str(donnees), "-l", str(base / "log"), "-w", "-o", options]
    subprocess.run(
        _en_postgres([*demarrage, "start"]),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+asyncpg://postgres@{HOTE}:{port}/postgres"
    finally:
        subprocess.run(
            _en_postgres([pg_ctl, "-D", str(donnees), "-m", "immediate", "stop"]),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(base, ignore_errors=True)


async def nouvelle_base(url: str, nom: str) -> str:
    """A database of its own in the cluster at ``url`` (one measure's rows never meet
    another's), and its URL."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connexion:
            await connexion.execute(text(f'CREATE DATABASE "{nom}"'))
    finally:
        await engine.dispose()
    return url.rsplit("/", 1)[0] + f"/{nom}"
