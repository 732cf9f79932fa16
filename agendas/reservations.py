"""Booking a free slot, race-safe; cancelling it.

The check that the slot is still offered is only a courtesy: two people may pass it at the
same moment. What decides is the primary key of ``creneau_pris`` (see store.agendas): the
second insert of the same quarter of an hour is refused by the database, and that person is
told so in French with the next free slots."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from agendas import service
from agendas.creneaux import quarts
from core.clock import local_day
from schemas.agenda import Creneau
from schemas.rdv import ModeRdv
from store.agendas import CreneauPrisRow, ReservationRow
from store.db import ecriture

DEJA_PRIS = "Ce créneau vient d'être pris par quelqu'un d'autre."
SUIVANTS_PROPOSES = 5
SUIVANTS_SUR_JOURS = 14


class CreneauIndisponible(Exception):
    """The slot is no longer free: ``suivants`` are the next ones offered instead."""

    def __init__(self, message: str, suivants: list[Creneau]) -> None:
        super().__init__(message)
        self.suivants = suivants


async def _encore_offert(session: AsyncSession, demande: Creneau) -> bool:
    jour = local_day(demande.debut)
    offerts = await service.creneaux(session, [demande.compte_id], demande.motif, jour, jour)
    return any(c.plage_id == demande.plage_id and c.debut == demande.debut for c in offerts)


async def suivants(session: AsyncSession, demande: Creneau) -> list[Creneau]:
    jour = local_day(demande.debut)
    offerts = await service.creneaux(
        session, [demande.compte_id], demande.motif, jour, jour + timedelta(days=SUIVANTS_SUR_JOURS)
    )
    return [c for c in offerts if c.debut >= demande.debut][:SUIVANTS_PROPOSES]


async def reserver(session: AsyncSession, demande: Creneau, parcours_id: str) -> ReservationRow:
    """Book ``demande`` for the person of ``parcours_id``, or raise CreneauIndisponible."""
    if not await _encore_offert(session, demande):
        raise CreneauIndisponible(DEJA_PRIS, await suivants(session, demande))
    await ecriture(session)
    row = ReservationRow(
        id=f"resa-{uuid.uuid4().hex[:12]}",
        compte_id=demande.compte_id,
        parcours_id=parcours_id,
        motif=demande.motif,
        debut=demande.debut,
        fin=demande.fin,
        modalite=demande.modalite.value,
        lieu_id=demande.lieu_id,
        plage_id=demande.plage_id,
        cree_le=datetime.now(UTC),
    )
    session.add(row)
    await session.flush()  # the booking first: its quarters name it
    for quart in quarts(demande.debut, demande.fin):
        session.add(CreneauPrisRow(compte_id=demande.compte_id, debut=quart, reservation_id=row.id))
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        raise CreneauIndisponible(DEJA_PRIS, await suivants(session, demande)) from None
    return row


async def annuler(session: AsyncSession, reservation_id: str) -> ReservationRow | None:
    """Free the slot for others; the booking stays, marked cancelled."""
    await ecriture(session)
    row = await session.get(ReservationRow, reservation_id)
    if row is None or row.annulee_le is not None:
        await session.rollback()
        return None
    row.annulee_le = datetime.now(UTC)
    session.add(row)
    await session.exec(
        delete(CreneauPrisRow).where(col(CreneauPrisRow.reservation_id) == reservation_id)
    )
    await session.commit()
    return row


def _utc(instant: datetime) -> datetime:
    return instant.replace(tzinfo=instant.tzinfo or UTC)  # SQLite gives naive UTC back


def creneau(prise: ReservationRow) -> Creneau:
    """A booking read back from the store, as the slot it holds (instants in UTC)."""
    return Creneau(
        compte_id=prise.compte_id,
        plage_id=prise.plage_id,
        motif=prise.motif,
        debut=_utc(prise.debut),
        fin=_utc(prise.fin),
        modalite=ModeRdv(prise.modalite),
        lieu_id=prise.lieu_id,
    )


async def reservations(
    session: AsyncSession, compte_id: str, depuis: datetime
) -> list[ReservationRow]:
    rows = await session.exec(
        select(ReservationRow)
        .where(ReservationRow.compte_id == compte_id, col(ReservationRow.debut) >= depuis)
        .order_by(col(ReservationRow.debut))
    )
    return list(rows.all())
