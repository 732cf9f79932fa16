"""What every measure receives: where to write, the shared Temporal server, the counts."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from bench.pile import Temporal

T = TypeVar("T")


@dataclass(frozen=True)
class Tailles:
    """Every load is bounded in count (here) and in time (``delai_s``, per measure)."""

    debit_parcours: int
    debit_concurrence: int
    evenements_parcours: int
    evenements_nombre: int
    evenements_concurrence: int
    detection_echantillons: int
    cockpit_parcours: int
    cockpit_requetes: int
    memoire_parcours: int
    delai_s: float


TAILLES = {
    "complet": Tailles(40, 8, 200, 4000, 32, 40, 100_000, 100, 10_000, 240),
    "rapide": Tailles(6, 3, 30, 400, 16, 8, 5_000, 30, 500, 120),
    "minimal": Tailles(1, 1, 2, 10, 2, 2, 300, 5, 20, 60),
}


@dataclass
class Contexte:
    dossier: Path
    temporal: Temporal
    tailles: Tailles
    postgres_url: str | None  # None: PostgreSQL not available or not wanted

    def sous_dossier(self, nom: str) -> Path:
        chemin = self.dossier / nom
        chemin.mkdir(parents=True, exist_ok=True)
        return chemin


async def en_parallele(
    nombre: int, concurrence: int, travail: Callable[[int], Awaitable[T]]
) -> list[T]:
    """Run ``travail(0..nombre-1)`` with at most ``concurrence`` at a time."""
    semaphore = asyncio.Semaphore(concurrence)

    async def un(i: int) -> T:
        async with semaphore:
            return await travail(i)

    return list(await asyncio.gather(*(un(i) for i in range(nombre))))
