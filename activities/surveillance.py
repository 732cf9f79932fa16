"""The technical watch: parcours whose workflow tasks keep failing become incidents of the
coordination (« Parcours bloqué techniquement », ``ops.parcours_bloques``)."""

from __future__ import annotations

from temporalio import activity
from temporalio.client import Client

from ops.parcours_bloques import surveiller
from store.db import SessionFactory


class SurveillanceActivities:
    def __init__(self, sessions: SessionFactory, temporal: Client) -> None:
        self.sessions, self.temporal = sessions, temporal

    @activity.defn(name="surveillance.parcours_bloques")
    async def parcours_bloques(self) -> int:
        """Returns how many parcours are blocked (each shown once to the coordination)."""
        return await surveiller(self.temporal, self.sessions)
