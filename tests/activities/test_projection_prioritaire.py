"""On SQLite the worker writes the read model one projection at a time: during a partner's
burst, dozens wait their turn. A projection bringing a new rupture (a France Travail
radiation, say) is written before the ordinary ones already waiting, so the coordination
sees it in its lists without waiting for the whole backlog (issue 19)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio
from temporalio.common import Priority
from temporalio.testing import ActivityEnvironment

from activities.projection import ProjectionActivities
from schemas.projection import Projection
from store.db import SessionFactory, create_schema, make_engine, session_factory
from tests.activities.test_projection import etat
from workflows.publication import PRIORITE_URGENTE

ARRIERE = 20


def projection(parcours_id: str) -> Projection:
    return Projection(etat=etat(2).model_copy(update={"parcours_id": parcours_id}), evenements=[])


@pytest_asyncio.fixture
async def sessions(tmp_path: Path) -> AsyncIterator[SessionFactory]:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'lecture.db'}")
    await create_schema(engine)
    yield session_factory(engine)
    await engine.dispose()


async def test_la_rupture_passe_devant_les_projections_en_attente(
    sessions: SessionFactory,
) -> None:
    activites = ProjectionActivities(sessions, sqlite=True)
    ecrits: list[str] = []

    async def projeter(parcours_id: str, priorite: Priority) -> None:
        env = ActivityEnvironment()
        env.info = dataclasses.replace(env.info, priority=priorite)
        assert await env.run(activites.projeter_parcours, projection(parcours_id))
        ecrits.append(parcours_id)

    # the burst's projections, started first: one writes, the others wait their turn
    arriere = [
        asyncio.create_task(projeter(f"rafale-{i}", Priority.default)) for i in range(ARRIERE)
    ]
    radiation = asyncio.create_task(projeter("radie", PRIORITE_URGENTE))
    await asyncio.gather(*arriere, radiation)

    assert len(ecrits) == ARRIERE + 1
    # only the one already writing when the radiation's projection arrived goes before it
    assert ecrits.index("radie") == 1, f"la rupture écrite en position {ecrits.index('radie')}"
