"""Storing a received event once (idempotency on partner + id), routing it, delivering it.

The row is committed before anything else: from then on the event cannot be lost, and the
partner is only told « accepted » once that is true.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from core.parcours_client import ParcoursClient
from store.db import ecriture
from store.evenements_partenaires import EvenementRecu, StatutReception
from web.partenaires.livraison import acheminer
from web.partenaires.reception import EvenementValide
from web.partenaires.routage import router
from web.services import Services, TemporalIndisponible


class AccuseReception(BaseModel):
    status: Literal["accepted", "duplicate"] = Field(
        description="« accepted » : nouvel événement ; « duplicate » : déjà reçu, sans effet"
    )
    matched: bool = Field(
        description="true : un parcours ouvert porte l'identifiant du `subject` et reçoit "
        "l'événement ; false : il attend le rapprochement d'un coordinateur. Le parcours "
        "lui-même n'est jamais nommé : la réponse ne doit rien apprendre d'une personne"
    )


def _ligne(v: EvenementValide, partner_id: str) -> EvenementRecu:
    ev = v.evenement
    return EvenementRecu(
        partenaire=partner_id,
        id=ev.id,
        type=ev.type,
        source=ev.source,
        sujet=ev.subject,
        survenu_le=ev.time.astimezone(UTC),
        recu_le=datetime.now(UTC),
        data=v.data,
        statut=StatutReception.A_LIVRER.value,
    )


async def enregistrer(
    session: AsyncSession, v: EvenementValide, partner_id: str
) -> tuple[EvenementRecu, bool]:
    """The stored row, and whether it is new. Concurrent twins: the primary key decides."""
    cle = (partner_id, v.evenement.id)
    await ecriture(session)  # the lookup and the insert in one write transaction
    if (deja := await session.get(EvenementRecu, cle)) is not None:
        await session.commit()
        return deja, False
    row = _ligne(v, partner_id)
    await router(session, row)  # a read, in the same transaction: one commit fewer
    session.add(row)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        deja = await session.get(EvenementRecu, cle)
        assert deja is not None  # the row that won the race
        return deja, False
    return row, True


async def _client(services: Services) -> ParcoursClient | None:
    try:
        return await services.parcours()
    except TemporalIndisponible:
        return None  # stored all the same: delivered later by relivrer_en_attente


async def recevoir(
    session: AsyncSession, services: Services, v: EvenementValide, partner_id: str
) -> tuple[AccuseReception, EvenementRecu]:
    row, nouveau = await enregistrer(session, v, partner_id)
    if row.statut == StatutReception.A_LIVRER.value:
        # also for a twin still waiting: try again now
        await acheminer(session, await _client(services), row)
    destine = row.statut != StatutReception.A_RAPPROCHER.value
    accuse = AccuseReception(
        status="accepted" if nouveau else "duplicate",
        matched=destine,
    )
    return accuse, row
