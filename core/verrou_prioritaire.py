"""A lock whose waiters get it by priority (lower first), then in their order of arrival.

asyncio.Lock serves its waiters in arrival order only, and neither asyncio nor a maintained
library we use offers a priority lock; this one is a heap of futures. Used by the projection
activity on SQLite (one writer at a time): a projection that brings a new rupture to the
coordination's lists passes the ordinary ones already waiting (issue 19)."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class VerrouPrioritaire:
    def __init__(self) -> None:
        self._pris = False
        self._attente: list[tuple[int, int, asyncio.Future[None]]] = []
        self._arrivee = itertools.count()

    @asynccontextmanager
    async def tenu(self, priorite: int) -> AsyncIterator[None]:
        await self._prendre(priorite)
        try:
            yield
        finally:
            self._rendre()

    async def _prendre(self, priorite: int) -> None:
        if not self._pris and not self._attente:
            self._pris = True
            return
        tour: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._attente, (priorite, next(self._arrivee), tour))
        try:
            await tour
        except asyncio.CancelledError:
            if tour.done() and not tour.cancelled():  # handed over just as it was cancelled
                self._rendre()
            raise

    def _rendre(self) -> None:
        """Hand the lock to the first waiter still waiting, or free it."""
        while self._attente:
            _, _, tour = heapq.heappop(self._attente)
            if not tour.done():
                tour.set_result(None)  # still held: it passes to that waiter
                return
        self._pris = False
