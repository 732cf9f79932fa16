"""What the web app holds for its whole life: settings, database, Temporal connection."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine
from temporalio.client import Client

from core.settings import Settings
from core.temporal import TASK_QUEUE, connect
from pieces.service import Coffre
from services.parcours_client import ParcoursClient
from store.db import SessionFactory
from store.parcours import ParcoursRow

log = logging.getLogger("parcours.web")


class TemporalIndisponible(Exception):
    """Temporal cannot be reached: commands answer 503, lists keep working from the read model."""


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sessions: SessionFactory
    temporal: Client | None = None
    task_queue: str = TASK_QUEUE
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _coffre: Coffre | None = None

    def coffre(self) -> Coffre:
        """The documents' store and keys (pieces/), made on first use."""
        if self._coffre is None:
            self._coffre = Coffre.depuis(self.settings)
        return self._coffre

    async def client(self) -> Client:
        if self.temporal is None:
            async with self._lock:
                if self.temporal is None:
                    try:
                        self.temporal = await connect(self.settings)
                    except (
                        RuntimeError
                    ) as err:  # the SDK raises RuntimeError when it cannot connect
                        raise TemporalIndisponible(str(err)) from None
        return self.temporal

    async def parcours(self) -> ParcoursClient:
        return ParcoursClient(
            await self.client(), task_queue=self.task_queue, anonymise=self._anonymise
        )

    async def _anonymise(self, parcours_id: str) -> bool:
        async with self.sessions() as session:
            row = await session.get(ParcoursRow, parcours_id)
            return row is not None and row.anonymise
