"""The daily snapshot of the indicators, written into the read model's database."""

from __future__ import annotations

from temporalio import activity

from core.clock import local_day
from observatoire.instantanes import prendre_instantane
from observatoire.messages import DemandeInstantane, InstantanePris
from store.db import SessionFactory


class ObservatoireActivities:
    def __init__(self, sessions: SessionFactory) -> None:
        self.sessions = sessions

    @activity.defn(name="observatoire.prendre_instantane")
    async def prendre_instantane(self, demande: DemandeInstantane) -> InstantanePris:
        jour = demande.jour or local_day(activity.info().started_time)
        async with self.sessions() as session:
            lignes = await prendre_instantane(session, jour)
        activity.logger.info("Instantané de l'observatoire du %s : %s lignes", jour, lignes)
        return InstantanePris(jour=jour, lignes=lignes)
