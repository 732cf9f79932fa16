"""The activity that writes the parcours workflow's projection into the read model (the writing
itself is the store's: store/projection.py, shared with the rebuild)."""

from __future__ import annotations

import asyncio
import contextlib

from temporalio import activity

from schemas.projection import Projection
from store.db import SessionFactory, ecriture
from store.projection import ecrire


class ProjectionActivities:
    def __init__(self, sessions: SessionFactory, *, sqlite: bool = False) -> None:
        self.sessions = sessions
        # SQLite has one writer at a time: queue this worker's writes here, in order, rather
        # than let dozens of activities spin on the database lock.
        self._un_a_la_fois: asyncio.Lock | contextlib.nullcontext[None] = (
            asyncio.Lock() if sqlite else contextlib.nullcontext()
        )

    @activity.defn(name="lecture.projeter_parcours")
    async def projeter_parcours(self, projection: Projection) -> bool:
        async with self._un_a_la_fois, self.sessions() as session:
            await ecriture(session)
            written = await ecrire(session, projection)
            await session.commit()
        return written
