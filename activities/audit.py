"""The activity of the daily audit anchor (workflows/ancrage_audit.py)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from temporalio import activity
from temporalio.client import Client

from schemas.audit import AncreAudit
from services.audit import lire_ancres, verifier_chaine
from store.db import SessionFactory

log = logging.getLogger("parcours.audit")


class AuditActivities:
    def __init__(
        self, sessions: SessionFactory, temporal: Client, task_queue: str, cles: list[bytes]
    ):
        self.sessions, self.temporal = sessions, temporal
        self.task_queue, self.cles = task_queue, cles

    @activity.defn(name="audit.ancrer")
    async def ancrer(self) -> AncreAudit:
        """Check the log (HMAC chain and earlier anchors), then anchor its last entry — even
        when it is altered: the anchor then records what was found, and when."""
        ancres = await lire_ancres(self.temporal, self.task_queue)
        le = datetime.now(UTC)
        async with self.sessions() as session:
            etat = await verifier_chaine(session, ancres, self.cles)
        if etat.probleme:
            log.error("Journal d'audit altéré : %s", etat.probleme)
        derniere = etat.derniere if etat.intact else None
        return AncreAudit(
            le=le,
            entree_id=derniere.id if derniere else None,
            empreinte=derniere.empreinte if derniere else "",
            entrees=etat.entrees,
            probleme=etat.probleme,
        )
