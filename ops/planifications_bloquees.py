"""Schedules blocked technically: a Temporal schedule whose current run cannot finish.

The platform's schedules (vigie, relivraison, surveillance, anonymisation, audit anchoring,
imports, connectors) skip a start while their previous run is open (overlap SKIP). A run
whose workflow tasks fail for ever — a payload it cannot read, a type no worker registers —
therefore stops its schedule for good, and nothing but Temporal knows. This module reads each
schedule and its open run, and writes what it found to ``sante_planification``, for the
coordination's incidents view and the metrics (``parcours_planifications_bloquees``).

A run is blocked when its workflow task failed ``SEUIL_TENTATIVES`` times in a row or failed
in its code, or when it has been open longer than ``DUREE_MAX`` (every scheduled workflow's
activities time out well before: an hour open means its later starts are being skipped).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.client import (
    Client,
    ScheduleActionExecutionStartWorkflow,
    ScheduleDescription,
)

from core.clock import PARIS
from core.formats import jour
from ops.parcours_bloques import SEUIL_TENTATIVES, cause
from store.db import SessionFactory, ecriture
from store.planifications import SantePlanification

DUREE_MAX = timedelta(hours=1)


@dataclass(frozen=True)
class EtatPlanification:
    id: str
    note: str
    derniere_execution: datetime | None
    prochaine_execution: datetime | None
    departs_sautes: int
    bloquee_depuis: datetime | None = None
    message: str | None = None

    @property
    def bloquee(self) -> bool:
        return self.message is not None


async def reperer(client: Client, concurrence: int = 4) -> list[EtatPlanification]:
    """Every schedule of the namespace, with its open run examined."""
    limite = asyncio.Semaphore(concurrence)
    ids = [s.id async for s in await client.list_schedules()]

    async def examiner(schedule_id: str) -> EtatPlanification:
        async with limite:
            return await _examiner(client, await client.get_schedule_handle(schedule_id).describe())

    return list(await asyncio.gather(*(examiner(i) for i in ids)))


async def _note(d: ScheduleDescription) -> str:
    try:
        return str(await d.memo_value("note", default=""))
    except Exception:  # a memo this version cannot read must not hide the schedule's state
        return ""


async def _examiner(client: Client, d: ScheduleDescription) -> EtatPlanification:
    info = d.info
    recentes = [a.started_at for a in info.recent_actions]
    etat = EtatPlanification(
        id=d.id,
        note=await _note(d),
        derniere_execution=max(recentes, default=None),
        prochaine_execution=min(info.next_action_times, default=None),
        departs_sautes=info.num_actions_skipped_overlap,
    )
    for action in info.running_actions:
        if not isinstance(action, ScheduleActionExecutionStartWorkflow):
            continue
        bloquee = await _run_bloque(client, action)
        if bloquee is not None:
            depuis, message = bloquee
            return replace(etat, bloquee_depuis=depuis, message=message)
    return etat


async def _run_bloque(
    client: Client, action: ScheduleActionExecutionStartWorkflow
) -> tuple[datetime, str] | None:
    handle = client.get_workflow_handle(action.workflow_id, run_id=action.first_execution_run_id)
    d = await handle.describe()
    debut = d.start_time or datetime.now(UTC)
    tache = d.raw_description.pending_workflow_task
    if tache.attempt >= 2:
        message, echouee = await cause(client, action.workflow_id, action.first_execution_run_id)
        if echouee or tache.attempt >= SEUIL_TENTATIVES:
            return debut, f"{message} (exécution {action.workflow_id})"
    if datetime.now(UTC) - debut > DUREE_MAX:
        return debut, (
            f"Exécution {action.workflow_id} en cours depuis le {jour(debut)} à "
            f"{debut.astimezone(PARIS):%-H} h {debut.astimezone(PARIS):%M} : "
            "les départs suivants sont sautés"
        )
    return None


async def ecrire(sessions: SessionFactory, etats: list[EtatPlanification]) -> int:
    """Make ``sante_planification`` exactly the schedules found. Returns how many are blocked."""
    maintenant = datetime.now(UTC)
    async with sessions() as session:
        await ecriture(session)
        presentes = {e.id for e in etats}
        await session.exec(
            delete(SantePlanification).where(col(SantePlanification.id).not_in(presentes))
        )
        for e in etats:
            row = await session.get(SantePlanification, e.id) or SantePlanification(
                id=e.id, verifiee_le=maintenant
            )
            row.note = e.note
            row.derniere_execution = e.derniere_execution
            row.prochaine_execution = e.prochaine_execution
            row.departs_sautes = e.departs_sautes
            row.bloquee, row.bloquee_depuis, row.message = e.bloquee, e.bloquee_depuis, e.message
            row.verifiee_le = maintenant
            session.add(row)
        await session.commit()
    return sum(1 for e in etats if e.bloquee)


@dataclass(frozen=True)
class Vigilance:
    """What the coordination is shown: the blocked schedules, and whether the watch itself ran
    lately (its own schedule blocked would report nothing)."""

    bloquees: list[SantePlanification]
    muette_depuis: datetime | None  # the last round, when older than ``MUETTE_APRES``


MUETTE_APRES = timedelta(minutes=10)  # five missed rounds of a watch that runs every 2 min


async def vigilance(session: AsyncSession) -> Vigilance:
    rows = list(
        (await session.exec(select(SantePlanification).order_by(SantePlanification.id))).all()
    )
    derniere = max((utc(r.verifiee_le) for r in rows), default=None)
    muette = derniere if derniere and datetime.now(UTC) - derniere > MUETTE_APRES else None
    return Vigilance(bloquees=[r for r in rows if r.bloquee], muette_depuis=muette)


def utc(d: datetime) -> datetime:
    return d if d.tzinfo else d.replace(tzinfo=UTC)  # SQLite gives naive UTC datetimes back


async def surveiller(client: Client, sessions: SessionFactory) -> int:
    return await ecrire(sessions, await reperer(client))
