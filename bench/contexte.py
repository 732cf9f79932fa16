"""What every measure receives: where to write, the shared Temporal server, the counts."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
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
    evenements_delai_s: float  # time allowed for sending them
    rafale_par_s: int  # partner events a second sent while detection is measured
    detection_echantillons: int
    cockpit_parcours: int
    cockpit_requetes: int
    memoire_parcours: int
    memoire_delai_s: float  # time allowed for opening them
    delai_s: float
    total_s: float  # the whole run: the last measure (memory) stops opening parcours in time


TAILLES = {
    "complet": Tailles(
        24, 6, 400, 20_000, 32, 400, 100, 40, 100_000, 100, 10_000, 420, 240, 20 * 60
    ),
    "rapide": Tailles(6, 3, 30, 2000, 16, 120, 100, 8, 5_000, 30, 500, 90, 120, 6 * 60),
    "minimal": Tailles(1, 1, 2, 10, 2, 30, 10, 2, 300, 5, 20, 30, 60, 4 * 60),
}


@dataclass
class Contexte:
    dossier: Path
    temporal: Temporal
    tailles: Tailles
    postgres_url: str | None  # None: PostgreSQL not available or not wanted
    debut: float = field(default_factory=time.monotonic)

    def reste_s(self) -> float:
        """Time left before the whole run's bound (``Tailles.total_s``)."""
        return self.tailles.total_s - (time.monotonic() - self.debut)

    def sous_dossier(self, nom: str) -> Path:
        chemin = self.dossier / nom
        chemin.mkdir(parents=True, exist_ok=True)
        return chemin


async def en_parallele(
    nombre: int,
    concurrence: int,
    travail: Callable[[int], Awaitable[T]],
    delai_s: float | None = None,
) -> list[T]:
    """Run ``travail(0..nombre-1)`` with at most ``concurrence`` at a time. With ``delai_s``,
    no new one starts once that time has passed: the results are those of the ones started."""
    semaphore = asyncio.Semaphore(concurrence)
    limite = time.monotonic() + delai_s if delai_s is not None else None

    async def un(i: int) -> tuple[bool, T | None]:
        async with semaphore:
            if limite is not None and time.monotonic() > limite:
                return False, None
            return True, await travail(i)

    faits = await asyncio.gather(*(un(i) for i in range(nombre)))
    return [resultat for fait, resultat in faits if fait]  # type: ignore[misc]
