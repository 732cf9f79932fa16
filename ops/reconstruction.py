"""Rebuild the read model of the parcours from Temporal, their source of truth.

    python -m ops.reconstruction          (or: make reconstruire)
    python -m ops.reconstruction --vider  (empty the projection tables first)

Every parcours workflow is listed through Temporal's visibility, asked for its state (query
« etat_complet », rules of the vigie included; answered by a worker: one must be running) and
its rows are written again by the worker's own projection code (``store.projection.ecrire``),
from the same snapshot the workflow publishes (``workflows.publication``): the rows are
those the workflows wrote.

Only the projection is rebuilt (tables ``parcours``, ``parcours_alerte``, ``incident``,
``identifiant_partenaire``, ``parcours_evenement``, ``parcours_phase``, ``parcours_acces``,
``acces_usager``). Accounts, the audit log, received partner events and notifications are the
platform's own records, not a projection: they come from backups. Anonymised parcours have no
history left in Temporal: their rows are kept as they are (``--vider`` would lose them).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import delete
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.client import Client, WorkflowQueryFailedError
from temporalio.service import RPCError

from core import journaux
from core.clock import local_day
from core.ids import parcours_workflow_id
from core.settings import get_settings
from core.sortie import terminer
from core.temporal import connect
from schemas.parcours import ParcoursState
from store.agendas import InvitationRow
from store.db import SessionFactory, create_schema, ecriture, make_engine, session_factory
from store.parcours import (
    AccesRow,
    AccesUsagerRow,
    AlerteRow,
    EvenementRow,
    IdentifiantRow,
    IncidentRow,
    ParcoursRow,
    PhaseRow,
)
from store.projection import ecrire
from workflows.publication import projection

log = logging.getLogger("parcours.reconstruction")

# Child tables first: they refer to the parcours row.
TABLES = (
    AlerteRow,
    IncidentRow,
    PhaseRow,
    AccesRow,
    IdentifiantRow,
    AccesUsagerRow,
    InvitationRow,
    EvenementRow,
)
REQUETE = "WorkflowType = 'Parcours'"
PREFIXE = parcours_workflow_id("")


@dataclass
class Bilan:
    reecrits: int = 0
    anonymises: int = 0  # left as they are
    echecs: dict[str, str] = field(default_factory=dict)  # parcours id → reason
    duree_s: float = 0.0


async def parcours_connus(client: Client) -> list[str]:
    """The id of every parcours Temporal holds (running or closed), once each."""
    ids: set[str] = set()
    async for execution in client.list_workflows(REQUETE):
        if execution.id.startswith(PREFIXE):
            ids.add(execution.id.removeprefix(PREFIXE))
    return sorted(ids)


async def vider(session: AsyncSession) -> None:
    await ecriture(session)
    for table in (*TABLES, ParcoursRow):
        await session.exec(delete(table))
    await session.commit()


async def _effacer(session: AsyncSession, parcours_id: str) -> None:
    for table in TABLES:
        await session.exec(delete(table).where(col(table.parcours_id) == parcours_id))
    await session.exec(delete(ParcoursRow).where(col(ParcoursRow.id) == parcours_id))


async def reecrire(sessions: SessionFactory, state: ParcoursState) -> bool:
    """Replace this parcours' rows by those of its state; False if it is anonymised."""
    async with sessions() as session:
        await ecriture(session)
        row = await session.get(ParcoursRow, state.parcours_id)
        if row is not None and row.anonymise:
            await session.commit()
            return False
        await _effacer(session, state.parcours_id)
        await ecrire(session, projection(state, local_day(datetime.now(UTC)), tout=True))
        await session.commit()
    return True


async def reconstruire(client: Client, sessions: SessionFactory, *, en_parallele: int = 8) -> Bilan:
    """Query every parcours (a few at a time) and rewrite its rows (one at a time)."""
    debut, bilan = time.monotonic(), Bilan()
    limite, un_ecrivain = asyncio.Semaphore(en_parallele), asyncio.Lock()

    async def un(parcours_id: str) -> None:
        try:
            async with limite:
                state: ParcoursState = await client.get_workflow_handle(
                    parcours_workflow_id(parcours_id)
                ).query("etat_complet", result_type=ParcoursState)
        except (WorkflowQueryFailedError, RPCError) as err:
            bilan.echecs[parcours_id] = str(err) or type(err).__name__
            return
        async with un_ecrivain:
            if await reecrire(sessions, state):
                bilan.reecrits += 1
            else:
                bilan.anonymises += 1

    await asyncio.gather(*(un(pid) for pid in await parcours_connus(client)))
    bilan.duree_s = time.monotonic() - debut
    return bilan


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Reconstruit le modèle de lecture des parcours depuis Temporal"
    )
    parser.add_argument(
        "--vider",
        action="store_true",
        help="vider d'abord les tables de la projection (les parcours anonymisés en sortent)",
    )
    args = parser.parse_args(argv)
    settings = get_settings()
    engine = make_engine(settings.effective_database_url)
    await create_schema(engine)
    sessions = session_factory(engine)
    try:
        client = await connect(settings)
    except RuntimeError as err:
        print(f"Temporal injoignable ({settings.effective_temporal_address}) : {err}")  # noqa: T201
        await engine.dispose()
        return 2
    if args.vider:
        async with sessions() as session:
            await vider(session)
    bilan = await reconstruire(client, sessions)
    await engine.dispose()
    print(  # noqa: T201
        f"Modèle de lecture reconstruit : {bilan.reecrits} parcours réécrits, "
        f"{bilan.anonymises} anonymisés laissés tels quels, {len(bilan.echecs)} en échec "
        f"({bilan.duree_s:.1f} s)."
    )
    for parcours_id, raison in sorted(bilan.echecs.items()):
        print(f"  échec {parcours_id} : {raison}")  # noqa: T201
    return 1 if bilan.echecs else 0


if __name__ == "__main__":
    journaux.commande("reconstruction", niveau=logging.WARNING)
    terminer(asyncio.run(main()))
