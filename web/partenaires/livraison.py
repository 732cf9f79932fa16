"""Delivering a stored event to its parcours (a Temporal Signal), now or later.

An event is stored before it is delivered: when Temporal cannot be reached it stays
« à livrer » and ``relivrer_en_attente`` (run by a periodic schedule) tries again. The
workflow ignores an event id it has already applied, so delivering twice is harmless.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.service import RPCError, RPCStatusCode

from core.parcours_client import ParcoursClient
from schemas.evenements import EvenementPartenaire
from schemas.incident import Partenaire
from store.db import SessionFactory, ecriture
from store.evenements_partenaires import EvenementRecu, StatutReception
from web.partenaires.routage import mettre_a_rapprocher, router

log = logging.getLogger("parcours.partenaires")

DELAI_SIGNAL_S = 5.0  # the partner waits for our answer: do not hang on an unreachable Temporal
LOT = 200


def utc(moment: datetime) -> datetime:
    """SQLite gives datetimes back without their zone: they were stored in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def evenement(row: EvenementRecu) -> EvenementPartenaire:
    return EvenementPartenaire(
        id=row.id,
        partenaire=Partenaire(row.partenaire),
        type=row.type,
        sujet=row.sujet,
        survenu_le=utc(row.survenu_le),
        recu_le=utc(row.recu_le),
        data=row.data,
    )


async def livrer(parcours: ParcoursClient | None, row: EvenementRecu) -> None:
    """Signal the event to ``row.parcours_id``; the row's status tells what happened."""
    if parcours is None or row.parcours_id is None:
        return
    try:
        await asyncio.wait_for(
            parcours.signaler_evenement(row.parcours_id, evenement(row)), DELAI_SIGNAL_S
        )
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:  # the parcours' workflow has ended
            mettre_a_rapprocher(
                row, "Le parcours trouvé est terminé : il ne reçoit plus d'événements"
            )
            return
        log.warning("Événement %s/%s non livré : %s", row.partenaire, row.id, err)
        return
    except TimeoutError:
        log.warning("Événement %s/%s non livré : Temporal ne répond pas", row.partenaire, row.id)
        return
    row.statut = StatutReception.LIVRE.value
    row.livre_le = datetime.now(UTC)


async def acheminer(
    session: AsyncSession, parcours: ParcoursClient | None, row: EvenementRecu
) -> None:
    """Route then deliver a row « à livrer », and record the outcome. No database
    transaction stays open across the call to Temporal: on SQLite it would hold the write
    lock that the parcours' projection needs meanwhile."""
    if row.parcours_id is None:
        await ecriture(session)
        await router(session, row)
        session.add(row)
        await session.commit()
    if row.statut == StatutReception.A_LIVRER.value:
        await livrer(parcours, row)  # changes the row in memory only
        await ecriture(session)
        session.add(row)
        await session.commit()


async def relivrer_en_attente(
    sessions: SessionFactory,
    parcours: ParcoursClient,
    *,
    anciennete: timedelta = timedelta(seconds=10),
) -> int:
    """Deliver the events still « à livrer » (received at least ``anciennete`` ago, so as not
    to race the request that is delivering them); returns how many were delivered."""
    livres = 0
    avant = datetime.now(UTC) - anciennete
    async with sessions() as session:
        rows = (
            await session.exec(
                select(EvenementRecu)
                .where(
                    EvenementRecu.statut == StatutReception.A_LIVRER.value,
                    col(EvenementRecu.recu_le) <= avant,
                )
                .order_by(col(EvenementRecu.recu_le))
                .limit(LOT)
            )
        ).all()
        await session.commit()
        for row in rows:
            await acheminer(session, parcours, row)
            if row.statut == StatutReception.A_LIVRER.value:
                break  # Temporal is still unreachable: the next run will try again
            livres += row.statut == StatutReception.LIVRE.value
    return livres
