"""The outbox of messages sent: a retried activity finds its key and does not send again.

It keeps who received what and when, never a message's text: a carnet link's message is
recorded by its subject and the fingerprint of its secret only."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from activities.carnet import nouveau_secret
from store.db import SessionFactory, ecriture
from store.notifications import Envoi, LienEnAttente


class Outbox:
    def __init__(self, sessions: SessionFactory) -> None:
        self.sessions = sessions

    async def envoi(self, idempotence: str) -> Envoi | None:
        async with self.sessions() as session:
            return await session.get(Envoi, idempotence)

    async def secret_du_lien(self, idempotence: str) -> str:
        """The carnet link's secret for this message: drawn on the first attempt, the same on
        every retry until the message is noted as sent."""
        async with self.sessions() as session:
            if (attente := await session.get(LienEnAttente, idempotence)) is not None:
                return attente.secret
            await ecriture(session)
            secret = nouveau_secret()
            session.add(
                LienEnAttente(idempotence=idempotence, secret=secret, cree_le=datetime.now(UTC))
            )
            try:
                await session.commit()
            except IntegrityError:  # a concurrent attempt drew first: use its secret
                await session.rollback()
                attente = await session.get(LienEnAttente, idempotence)
                assert attente is not None
                return attente.secret
            return secret

    async def deja_envoye(self, idempotence: str) -> bool:
        return await self.envoi(idempotence) is not None

    async def noter(
        self,
        idempotence: str,
        canal: str,
        destinataire: str,
        sujet: str,
        empreinte: str | None = None,
        parcours: str | None = None,
    ) -> None:
        async with self.sessions() as session:
            await ecriture(session)
            session.add(
                Envoi(
                    idempotence=idempotence,
                    canal=canal,
                    destinataire=destinataire,
                    sujet=sujet,
                    envoye_le=datetime.now(UTC),
                    empreinte=empreinte,
                    parcours_id=parcours,
                )
            )
            if empreinte is not None:  # sent: its secret has no more use here
                attente = await session.get(LienEnAttente, idempotence)
                if attente is not None:
                    await session.delete(attente)
            try:
                await session.commit()
            except IntegrityError:
                await session.rollback()  # recorded by a concurrent attempt: nothing to add
