"""The activity that writes the parcours workflow's projection into the read model (the writing
itself is the store's: store/projection.py, shared with the rebuild)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from temporalio import activity

from core.verrou_prioritaire import VerrouPrioritaire
from schemas.projection import Projection
from store.db import SessionFactory, ecriture
from store.projection import ecrire

PRIORITE_PAR_DEFAUT = 3  # the server's, for a task sent without a priority key (of 1 to 5)


class ProjectionActivities:
    def __init__(self, sessions: SessionFactory, *, sqlite: bool = False) -> None:
        self.sessions = sessions
        # SQLite has one writer at a time: queue this worker's writes here rather than let
        # dozens of activities spin on the database lock — by the task's priority, then in
        # order: a projection bringing a new rupture passes the others (workflows/publication.py).
        self._un_a_la_fois = VerrouPrioritaire() if sqlite else None

    @asynccontextmanager
    async def _son_tour(self) -> AsyncIterator[None]:
        if self._un_a_la_fois is None:
            yield
            return
        priorite = activity.info().priority.priority_key or PRIORITE_PAR_DEFAUT
        async with self._un_a_la_fois.tenu(priorite):
            yield

    @activity.defn(name="lecture.projeter_parcours")
    async def projeter_parcours(self, projection: Projection) -> bool:
        async with self._son_tour(), self.sessions() as session:
            await ecriture(session)
            written = await ecrire(session, projection)
            await session.commit()
        return written
