"""The technical watch: parcours whose workflow tasks keep failing become incidents of the
coordination (« Parcours bloqué techniquement », ``ops.parcours_bloques``); the platform's
schedules are examined in the same round (``ops.planifications_bloquees``): a blocked run
silently stops its schedule."""

from __future__ import annotations

import logging

from temporalio import activity
from temporalio.client import Client

from ops import parcours_bloques, planifications_bloquees
from store.db import SessionFactory

log = logging.getLogger("parcours.surveillance")


class SurveillanceActivities:
    def __init__(self, sessions: SessionFactory, temporal: Client) -> None:
        self.sessions, self.temporal = sessions, temporal

    @activity.defn(name="surveillance.parcours_bloques")
    async def parcours_bloques(self) -> int:
        """Returns how many parcours are blocked (each shown once to the coordination). The
        workflow that calls it is unchanged, so that its histories replay."""
        bloques = await parcours_bloques.surveiller(self.temporal, self.sessions)
        planifications = await planifications_bloquees.surveiller(self.temporal, self.sessions)
        if planifications:
            log.error("Planifications bloquées : %d (voir sante_planification)", planifications)
        return bloques
