"""Delivering the stored events to their parcours, behind the partner's acknowledgement.

The web process only stores an event (« à livrer ») and answers 202. The dispatcher
(``repartir``, run in a loop by the ``RepartiteurEvenements`` workflow's activity) reads the
stored events in the order they were received, groups them by parcours and sends each parcours
one signal carrying its events in that order (``evenements_partenaires``), then marks them
« livré ». A crash between the signal and the mark delivers them again: the workflow ignores an
event id it has already applied, so nothing is lost and nothing is applied twice. A parcours
whose signal fails keeps its events, and the next pass starts again from its oldest one: its
order holds. Several parcours are signalled at once (their orders are independent).

Ruptures first: a pass starts with the parcours that have an event signalling a rupture
waiting (``SIGNALEMENTS``, the catalogue's « signalement » types), with their older events
before it, then takes the oldest of the others. A radiation does not wait behind a nightly
file of ordinary events for other people, and each parcours still gets its events in order.
A rupture stored while a pass runs ends it after the slice of signals under way: the next
pass serves it first.
While a backlog lasts, each pass reads more events (up to ``LOT_MAX``), so that each signal
carries more of a parcours' events.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.service import RPCError, RPCStatusCode

from partenaires.routage import mettre_a_rapprocher, router
from schemas.evenements import SIGNALEMENTS, EvenementPartenaire
from schemas.incident import Partenaire
from services.parcours_client import ParcoursClient
from store.db import SessionFactory, ecriture
from store.evenements_partenaires import EvenementRecu, StatutReception

log = logging.getLogger("parcours.partenaires")

DELAI_SIGNAL_S = 5.0  # a Temporal that does not answer: give up this pass, try again later
LOT = 500  # events read per pass
LOT_MAX = 4000  # ...doubled pass after pass while a backlog lasts, up to this
URGENTS_MAX = 100  # parcours with a rupture waiting served first, per pass
PAR_SIGNAL = 100  # events per signal at most (a payload of a few dozen Kio)
OCTETS_PAR_SIGNAL = 256 * 1024  # ...and of this size at most (an event alone always goes)
SIGNAUX_SIMULTANES = 16  # parcours signalled at once
ATTENTE_S = 0.1  # nothing to deliver: look again after this
ATTENTE_MAX_S = 5.0  # Temporal or the database failing: back off up to this


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


def _termine(row: EvenementRecu) -> None:
    mettre_a_rapprocher(row, "Le parcours trouvé est terminé : il ne reçoit plus d'événements")


def _livre(row: EvenementRecu) -> None:
    row.statut = StatutReception.LIVRE.value
    row.livre_le = datetime.now(UTC)


async def livrer(parcours: ParcoursClient | None, row: EvenementRecu) -> None:
    """Signal one event to ``row.parcours_id`` now (an attachment by the coordination); the
    row's status tells what happened. Left « à livrer », the dispatcher delivers it."""
    if parcours is None or row.parcours_id is None:
        return
    try:
        await asyncio.wait_for(
            parcours.signaler_evenement(row.parcours_id, evenement(row)), DELAI_SIGNAL_S
        )
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:  # the parcours' workflow has ended
            _termine(row)
            return
        log.warning("Événement %s/%s non livré : %s", row.partenaire, row.id, err)
        return
    except TimeoutError:
        log.warning("Événement %s/%s non livré : Temporal ne répond pas", row.partenaire, row.id)
        return
    _livre(row)


def _signaux(rows: list[EvenementRecu]) -> list[list[EvenementRecu]]:
    """The parcours' events cut into signals of bounded count and size, order kept."""
    signaux: list[list[EvenementRecu]] = []
    courant: list[EvenementRecu] = []
    taille = 0
    for row in rows:
        poids = len(str(row.data)) + 300
        if courant and (len(courant) >= PAR_SIGNAL or taille + poids > OCTETS_PAR_SIGNAL):
            signaux.append(courant)
            courant, taille = [], 0
        courant.append(row)
        taille += poids
    return [*signaux, courant] if courant else signaux


async def _livrer_au_parcours(
    parcours: ParcoursClient, parcours_id: str, rows: list[EvenementRecu]
) -> bool:
    """Signal the parcours its events in order; False when Temporal failed (what was sent
    before the failure is marked, the rest stays « à livrer » for the next pass)."""
    for signal in _signaux(rows):
        try:
            await asyncio.wait_for(
                parcours.signaler_evenements(parcours_id, [evenement(r) for r in signal]),
                DELAI_SIGNAL_S,
            )
        except RPCError as err:
            if err.status != RPCStatusCode.NOT_FOUND:
                log.warning("Parcours %s : événements non livrés : %s", parcours_id, err)
                return False
            for row in rows:  # the parcours' workflow has ended: nothing more reaches it
                if row.statut == StatutReception.A_LIVRER.value:
                    _termine(row)
            return True
        except TimeoutError:
            log.warning("Parcours %s : événements non livrés : Temporal ne répond pas", parcours_id)
            return False
        for row in signal:
            _livre(row)
    return True


@dataclass
class Passage:
    """What one pass of the dispatcher did."""

    lus: int = 0
    livres: int = 0
    a_rapprocher: int = 0
    interrompu: bool = False  # Temporal failed for at least one parcours


A_LIVRER = EvenementRecu.statut == StatutReception.A_LIVRER.value
ORDRE = (col(EvenementRecu.recu_le), col(EvenementRecu.partenaire), col(EvenementRecu.id))


async def _urgents(session: AsyncSession) -> list[str]:
    """The parcours with a rupture waiting, the longest-waiting first."""
    rows = await session.exec(
        select(EvenementRecu.parcours_id)
        .where(
            A_LIVRER,
            col(EvenementRecu.type).in_(SIGNALEMENTS),
            col(EvenementRecu.parcours_id).is_not(None),
        )
        .group_by(col(EvenementRecu.parcours_id))
        .order_by(func.min(EvenementRecu.recu_le))
        .limit(URGENTS_MAX)
    )
    return [pid for pid in rows.all() if pid is not None]


async def _a_livrer(session: AsyncSession, limite: int) -> list[EvenementRecu]:
    """The events of the parcours with a rupture waiting, then the oldest others: for each
    parcours, the oldest of its events (a prefix of its queue), so its order holds. With a
    rupture waiting, fewer others (LOT): reading thousands of rows before any signal delayed
    the rupture's by as much, and the others are not starved by a file of ruptures."""
    urgents = await _urgents(session)
    leurs: list[EvenementRecu] = []
    if urgents:
        leurs = list(
            (
                await session.exec(
                    select(EvenementRecu)
                    .where(A_LIVRER, col(EvenementRecu.parcours_id).in_(urgents))
                    .order_by(*ORDRE)
                    .limit(limite)
                )
            ).all()
        )
    autres = (
        await session.exec(
            select(EvenementRecu)
            .where(A_LIVRER)
            .order_by(*ORDRE)
            .limit(min(limite, LOT) if urgents else limite)
        )
    ).all()
    deja = {(r.partenaire, r.id) for r in leurs}
    return leurs + [r for r in autres if (r.partenaire, r.id) not in deja]


def _par_parcours(rows: list[EvenementRecu]) -> dict[str, list[EvenementRecu]]:
    groupes: dict[str, list[EvenementRecu]] = {}
    for row in rows:
        if row.parcours_id is not None and row.statut == StatutReception.A_LIVRER.value:
            groupes.setdefault(row.parcours_id, []).append(row)
    return groupes


async def _livrer_par_tranches(
    sessions: SessionFactory, parcours: ParcoursClient, groupes: dict[str, list[EvenementRecu]]
) -> list[bool]:
    """Signal the parcours SIGNAUX_SIMULTANES at a time, in the pass's order (ruptures first).
    Between two slices, a rupture stored since the pass began ends it: the parcours not yet
    signalled keep their events « à livrer » (their order holds: the next pass starts again
    from their oldest), and the next pass, at once, serves the rupture first. A radiation no
    longer waits for a whole pass of a burst — hundreds of signals — but for one slice."""
    connus = {  # read with this pass: still « à livrer » in the database until its end
        pid for pid, siens in groupes.items() if any(r.type in SIGNALEMENTS for r in siens)
    }
    ordre = list(groupes.items())
    reussis: list[bool] = []
    for debut in range(0, len(ordre), SIGNAUX_SIMULTANES):
        if debut and await _rupture_arrivee(sessions, connus):
            break
        tranche = ordre[debut : debut + SIGNAUX_SIMULTANES]
        reussis += await asyncio.gather(
            *(_livrer_au_parcours(parcours, pid, siens) for pid, siens in tranche)
        )
    return reussis


async def _rupture_arrivee(sessions: SessionFactory, connus: set[str]) -> bool:
    """A parcours has a rupture waiting that this pass did not read."""
    async with sessions() as session:
        urgents = await _urgents(session)
        await session.commit()
    return bool(set(urgents) - connus)


async def repartir(sessions: SessionFactory, parcours: ParcoursClient, lot: int = LOT) -> Passage:
    """One pass: the oldest ``lot`` events « à livrer », one signal per parcours (or a few),
    then their new statuses in one transaction."""
    async with sessions() as session:
        rows = await _a_livrer(session, lot)
        await session.commit()
        if not rows:
            return Passage()
        sans_parcours = [r for r in rows if r.parcours_id is None]
        if sans_parcours:  # stored by an older version, or put back by hand: route them now
            await ecriture(session)
            for row in sans_parcours:
                await router(session, row)
                session.add(row)
            await session.commit()
        reussis = await _livrer_par_tranches(sessions, parcours, _par_parcours(rows))
        await ecriture(session)
        for row in rows:
            session.add(row)
        await session.commit()
    return Passage(
        lus=len(rows),
        livres=sum(r.statut == StatutReception.LIVRE.value for r in rows),
        a_rapprocher=sum(r.statut == StatutReception.A_RAPPROCHER.value for r in rows),
        interrompu=not all(reussis),
    )


async def repartir_sans_fin(
    sessions: SessionFactory,
    parcours: ParcoursClient,
    battement: Callable[[], None],
    duree: timedelta,
) -> int:
    """Passes one after the other for ``duree``: at once while there is a backlog, after a
    short wait when there is none, backing off while Temporal or the database fails. Returns
    how many events were delivered."""
    fin = asyncio.get_running_loop().time() + duree.total_seconds()
    livres, attente, lot = 0, ATTENTE_S, LOT
    while asyncio.get_running_loop().time() < fin:
        battement()
        try:
            passage = await repartir(sessions, parcours, lot)
        except (SQLAlchemyError, OSError) as err:
            log.warning("Répartition des événements interrompue : %s", err)
            passage = Passage(interrompu=True)
        livres += passage.livres
        # a full pass means a backlog: read more at once, so each signal carries more
        lot = min(lot * 2, LOT_MAX) if passage.lus >= lot else LOT
        if passage.interrompu:
            attente = min(attente * 2, ATTENTE_MAX_S)
        elif passage.lus:
            attente = ATTENTE_S
            continue  # a backlog: the next pass at once
        await asyncio.sleep(attente)
    return livres


# Beyond either, the backlog is shown to the coordination: its lists lag behind the partners.
ARRIERE_TAILLE_MAX = 1000
ARRIERE_AGE_MAX = timedelta(minutes=1)


@dataclass(frozen=True)
class Arriere:
    """Events stored and acknowledged but not yet delivered to their parcours."""

    taille: int
    plus_ancien: datetime | None

    def age(self, maintenant: datetime) -> timedelta:
        return timedelta(0) if self.plus_ancien is None else maintenant - self.plus_ancien

    def en_retard(self, maintenant: datetime) -> bool:
        return self.taille > ARRIERE_TAILLE_MAX or self.age(maintenant) > ARRIERE_AGE_MAX


async def arriere(session: AsyncSession) -> Arriere:
    taille, plus_ancien = (
        await session.exec(
            select(func.count(), func.min(EvenementRecu.recu_le)).where(
                EvenementRecu.statut == StatutReception.A_LIVRER.value
            )
        )
    ).one()
    return Arriere(int(taille), utc(plus_ancien) if plus_ancien is not None else None)
