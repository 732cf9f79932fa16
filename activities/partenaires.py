"""Partner events still waiting for delivery (Temporal was unreachable when they arrived)."""

from __future__ import annotations

from temporalio import activity
from temporalio.client import Client

from core.parcours_client import ParcoursClient
from schemas.vigie_quotidienne import TourneeVigie
from store.db import SessionFactory
from web.partenaires.livraison import relivrer_en_attente


class LivraisonActivities:
    def __init__(self, sessions: SessionFactory, temporal: Client, task_queue: str) -> None:
        self.sessions = sessions
        self.parcours = ParcoursClient(temporal, task_queue)

    @activity.defn(name="partenaires.relivrer")
    async def relivrer(self, _: TourneeVigie) -> int:
        return await relivrer_en_attente(self.sessions, self.parcours)
