"""The dispatcher of partner events (``partenaires.livraison``) as activities: its loop,
run by the ``RepartiteurEvenements`` workflow, and the periodic check that it runs."""

from __future__ import annotations

from datetime import timedelta

from temporalio import activity
from temporalio.client import Client

from core.repartiteur import demarrer_repartiteur
from partenaires.livraison import repartir_sans_fin
from schemas.vigie_quotidienne import TourneeVigie
from services.parcours_client import ParcoursClient
from store.db import SessionFactory

DUREE_D_UN_TOUR = timedelta(minutes=10)  # then the workflow starts the activity again


class LivraisonActivities:
    def __init__(self, sessions: SessionFactory, temporal: Client, task_queue: str) -> None:
        self.sessions = sessions
        self.temporal = temporal
        self.task_queue = task_queue
        self.parcours = ParcoursClient(temporal, task_queue)

    @activity.defn(name="partenaires.repartir")
    async def repartir(self) -> int:
        """Deliver stored events for ten minutes; the heartbeat lets another worker take over
        within seconds when this one dies."""
        return await repartir_sans_fin(
            self.sessions, self.parcours, activity.heartbeat, DUREE_D_UN_TOUR
        )

    @activity.defn(name="partenaires.relivrer")
    async def relivrer(self, _: TourneeVigie) -> int:
        """Formerly delivered what had waited; now the dispatcher does, all the time: make
        sure it runs (started again if someone stopped it). Delivers nothing itself."""
        await demarrer_repartiteur(self.temporal, self.task_queue)
        return 0
