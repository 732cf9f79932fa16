"""Collective sessions (information collective): organising one, registering people race-safe,
withdrawing them, recording their attendance. Below the routes: it knows accounts by their id,
structure and territory, never a request, and gives no command to a parcours (the service
services/sessions_collectives.py does).

The check that a seat is still free is only a courtesy: two référents may pass it at the same
moment. What decides is the primary key of ``place_session_collective`` (see
store/sessions_collectives.py): the second insert of the same seat is refused by the database
and that person is told so in French, with the next sessions of the same motif."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from agendas import service
from agendas.service import Introuvable, Proprietaire, SaisieRefusee
from core.clock import local_day
from rules.rendez_vous import regles_rendez_vous
from schemas.invitation import ConvocationRdv
from schemas.rdv import ModeRdv, StatutRdv
from schemas.session_collective import SessionCollective, SessionSaisie
from store.agendas import LieuRow
from store.db import ecriture
from store.sessions_collectives import (
    InscriptionSessionRow,
    PlaceSessionRow,
    SessionCollectiveRow,
)

COMPLETE = "La dernière place de cette session vient d'être prise par quelqu'un d'autre."
PLEINE = "Cette session est complète."
DEJA_INSCRITE = "Cette personne est déjà inscrite à cette session."
FERMEE = "Cette session est annulée ou a déjà commencé : plus d'inscription possible."
SUIVANTES_PROPOSEES = 5
PREFIXE = "insc-"  # an inscription's id, given to the parcours as the booking of its rdv


class SessionComplete(Exception):
    """No seat left: ``suivantes`` are the next sessions of the same motif with one."""

    def __init__(self, message: str, suivantes: list[SessionCollectiveRow]) -> None:
        super().__init__(message)
        self.suivantes = suivantes


class InscriptionImpossible(Exception):
    """A registration the session's state refuses (already there, session closed): 409."""


def maintenant() -> datetime:
    """The instant registrations are judged by (open until the session starts). One function,
    so that a test registers people to a session of today whatever the hour it runs at."""
    return datetime.now(UTC)


def utc(instant: datetime) -> datetime:
    return instant.replace(tzinfo=instant.tzinfo or UTC)  # SQLite gives naive UTC back


async def creer(
    session: AsyncSession, p: Proprietaire, nom: str, saisie: SessionSaisie, today: date
) -> SessionCollectiveRow:
    """A session of ``p``'s structure, at one of its places; nothing written if mistyped."""
    if regles_rendez_vous().motif(saisie.motif) is None:
        raise SaisieRefusee("motif", f"Motif inconnu : {saisie.motif}")
    lieu = await session.get(LieuRow, saisie.lieu_id)
    if lieu is None or lieu.proprietaire != p.cle_des_lieux:
        raise SaisieRefusee("lieu_id", "Ce lieu n'est pas un lieu de votre structure")
    if local_day(saisie.debut) < today:
        raise SaisieRefusee("debut", "Une session ne peut pas commencer un jour passé")
    if p.territoire is None:
        raise SaisieRefusee("territoire", "Votre compte n'a pas de territoire")
    await ecriture(session)
    row = SessionCollectiveRow(
        id=f"sess-{uuid.uuid4().hex[:12]}",
        compte_id=p.compte_id,
        structure=p.structure,
        territoire=p.territoire,
        motif=saisie.motif,
        titre=saisie.titre,
        debut=saisie.debut.astimezone(UTC),
        fin=saisie.fin.astimezone(UTC),
        lieu_id=saisie.lieu_id,
        capacite=saisie.capacite,
        animateur=saisie.animateur or nom,
        cree_le=datetime.now(UTC),
    )
    session.add(row)
    await session.commit()
    return row


async def lire(session: AsyncSession, session_id: str) -> SessionCollectiveRow:
    row = await session.get(SessionCollectiveRow, session_id)
    if row is None:
        raise Introuvable(session_id)
    return row


async def places_prises(session: AsyncSession, session_id: str) -> int:
    n = await session.exec(
        select(func.count())
        .select_from(PlaceSessionRow)
        .where(PlaceSessionRow.session_id == session_id)
    )
    return int(n.one())


async def vue(session: AsyncSession, row: SessionCollectiveRow) -> SessionCollective:
    lieu = await session.get(LieuRow, row.lieu_id)
    assert lieu is not None  # a foreign key
    motif = regles_rendez_vous().motif(row.motif)
    return SessionCollective(
        id=row.id,
        motif=row.motif,
        libelle_motif=motif.libelle if motif else row.motif,
        titre=row.titre,
        debut=utc(row.debut),
        fin=utc(row.fin),
        lieu=service._lieu(lieu),
        capacite=row.capacite,
        places_libres=max(0, row.capacite - await places_prises(session, row.id)),
        animateur=row.animateur,
        organisateur_id=row.compte_id,
        annulee=row.annulee_le is not None,
    )


async def ouvertes(
    session: AsyncSession, territoire: str, apres: datetime, motif: str | None = None
) -> list[SessionCollectiveRow]:
    """Sessions of a territory not cancelled and starting after ``apres``, soonest first."""
    requete = select(SessionCollectiveRow).where(
        SessionCollectiveRow.territoire == territoire,
        col(SessionCollectiveRow.annulee_le).is_(None),
        col(SessionCollectiveRow.debut) > apres,
    )
    if motif is not None:
        requete = requete.where(SessionCollectiveRow.motif == motif)
    rows = await session.exec(requete.order_by(col(SessionCollectiveRow.debut)))
    return list(rows.all())


async def suivantes(session: AsyncSession, row: SessionCollectiveRow) -> list[SessionCollectiveRow]:
    """The next sessions of the same motif on the territory that still have a seat."""
    proposees = []
    for autre in await ouvertes(session, row.territoire, maintenant(), row.motif):
        if autre.id != row.id and await places_prises(session, autre.id) < autre.capacite:
            proposees.append(autre)
        if len(proposees) == SUIVANTES_PROPOSEES:
            break
    return proposees


def ouverte(row: SessionCollectiveRow, maintenant: datetime) -> bool:
    return row.annulee_le is None and utc(row.debut) > maintenant


async def _place_libre(session: AsyncSession, row: SessionCollectiveRow) -> bool:
    return await places_prises(session, row.id) < row.capacite


async def _deja_inscrite(session: AsyncSession, session_id: str, parcours_id: str) -> bool:
    place = await session.exec(
        select(PlaceSessionRow).where(
            PlaceSessionRow.session_id == session_id, PlaceSessionRow.parcours_id == parcours_id
        )
    )
    return place.first() is not None


async def _numero_libre(session: AsyncSession, row: SessionCollectiveRow) -> int | None:
    pris = set(
        (
            await session.exec(
                select(PlaceSessionRow.numero).where(PlaceSessionRow.session_id == row.id)
            )
        ).all()
    )
    return next((n for n in range(1, row.capacite + 1) if n not in pris), None)


async def _refus(session: AsyncSession, row: SessionCollectiveRow, parcours_id: str) -> Exception:
    """Why this registration cannot be, read once the other writer has committed."""
    if await _deja_inscrite(session, row.id, parcours_id):
        return InscriptionImpossible(DEJA_INSCRITE)
    return SessionComplete(COMPLETE, await suivantes(session, row))


async def inscrire(
    session: AsyncSession, session_id: str, parcours_id: str, par: str
) -> InscriptionSessionRow:
    """Register the person of ``parcours_id`` on a free seat, or raise SessionComplete (with
    the next sessions) or InscriptionImpossible."""
    row = await lire(session, session_id)
    session.expunge(row)  # read once: a rollback below must not expire it
    if not ouverte(row, maintenant()):
        raise InscriptionImpossible(FERMEE)
    if await _deja_inscrite(session, row.id, parcours_id):
        raise InscriptionImpossible(DEJA_INSCRITE)
    if not await _place_libre(session, row):
        raise SessionComplete(PLEINE, await suivantes(session, row))
    # Another référent may take a seat from here on: the seat's key decides. A lost race on a
    # seat while another one is still free tries that one (at most once per seat).
    for _ in range(row.capacite):
        await ecriture(session)
        numero = await _numero_libre(session, row)
        if numero is None:
            await session.rollback()
            raise await _refus(session, row, parcours_id)
        inscription = InscriptionSessionRow(
            id=f"{PREFIXE}{uuid.uuid4().hex[:12]}",
            session_id=row.id,
            parcours_id=parcours_id,
            inscrite_par=par,
            cree_le=datetime.now(UTC),
        )
        session.add(inscription)
        await session.flush()  # the registration first: its seat names it
        session.add(
            PlaceSessionRow(
                session_id=row.id,
                numero=numero,
                inscription_id=inscription.id,
                parcours_id=parcours_id,
            )
        )
        try:
            await session.commit()
        except IntegrityError:
            await session.rollback()
            if await _deja_inscrite(session, row.id, parcours_id):
                raise InscriptionImpossible(DEJA_INSCRITE) from None
            continue
        return inscription
    raise await _refus(session, row, parcours_id)


async def noter_rdv(session: AsyncSession, inscription_id: str, rdv_id: str) -> None:
    """The appointment the registration became in the parcours, to record its outcome."""
    await ecriture(session)
    row = await session.get(InscriptionSessionRow, inscription_id)
    if row is not None:
        row.rdv_id = rdv_id
        session.add(row)
    await session.commit()


async def liberer(session: AsyncSession, inscription_id: str) -> InscriptionSessionRow | None:
    """Withdraw a registration: its seat is free for someone else; the row stays, marked."""
    await ecriture(session)
    row = await session.get(InscriptionSessionRow, inscription_id)
    if row is None or row.desinscrite_le is not None:
        await session.rollback()
        return None
    row.desinscrite_le = datetime.now(UTC)
    session.add(row)
    await session.exec(
        delete(PlaceSessionRow).where(col(PlaceSessionRow.inscription_id) == inscription_id)
    )
    await session.commit()
    return row


async def inscriptions(session: AsyncSession, session_id: str) -> list[InscriptionSessionRow]:
    """The registrations in force, in the order they were taken."""
    rows = await session.exec(
        select(InscriptionSessionRow)
        .where(
            InscriptionSessionRow.session_id == session_id,
            col(InscriptionSessionRow.desinscrite_le).is_(None),
        )
        .order_by(col(InscriptionSessionRow.cree_le))
    )
    return list(rows.all())


async def noter_presence(session: AsyncSession, inscription_id: str, statut: StatutRdv) -> None:
    """Kept with the session whatever the parcours says: nothing typed is lost."""
    await ecriture(session)
    row = await session.get(InscriptionSessionRow, inscription_id)
    if row is not None:
        row.presence, row.presence_notee_le = statut.value, datetime.now(UTC)
        session.add(row)
    await session.commit()


async def annuler(session: AsyncSession, session_id: str) -> list[InscriptionSessionRow] | None:
    """Cancel a session: every seat is freed; returns the registrations it had, or None if it
    was cancelled already (two clicks at once: the second one cancels nothing)."""
    await ecriture(session)
    row = await session.get(SessionCollectiveRow, session_id, with_for_update=True)
    if row is None or row.annulee_le is not None:
        await session.rollback()
        return None
    row.annulee_le = datetime.now(UTC)
    session.add(row)
    inscrites = list(
        (
            await session.exec(
                select(InscriptionSessionRow).where(
                    InscriptionSessionRow.session_id == session_id,
                    col(InscriptionSessionRow.desinscrite_le).is_(None),
                )
            )
        ).all()
    )
    await session.exec(delete(PlaceSessionRow).where(col(PlaceSessionRow.session_id) == session_id))
    await session.commit()
    return inscrites


async def convocation(session: AsyncSession, inscription_id: str) -> ConvocationRdv | None:
    """The appointment a registration becomes in the parcours (``convoquer_rdv``): the
    session's day, place and motif; None if it is not a registration in force."""
    inscription = await session.get(InscriptionSessionRow, inscription_id)
    if inscription is None or inscription.desinscrite_le is not None:
        return None
    row = await session.get(SessionCollectiveRow, inscription.session_id)
    motif = regles_rendez_vous().motif(row.motif) if row is not None else None
    lieu = await session.get(LieuRow, row.lieu_id) if row is not None else None
    if row is None or motif is None or lieu is None:
        return None
    return ConvocationRdv(
        reservation_id=inscription.id,
        parcours_id=inscription.parcours_id,
        motif=motif.code,
        libelle=motif.libelle,
        debut=utc(row.debut),
        fin=utc(row.fin),
        modalite=ModeRdv.SUR_PLACE,
        lieu=f"{lieu.nom}, {lieu.adresse}, {lieu.code_postal} {lieu.commune}",
    )
