"""Daily snapshots: the activity is idempotent, the page draws the trend from them, and the
schedule is created (and re-created harmlessly) on a real Temporal server, where it runs."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import select
from temporalio.client import ScheduleActionStartWorkflow
from temporalio.testing import ActivityEnvironment, WorkflowEnvironment
from temporalio.worker import Worker

from activities.observatoire import ObservatoireActivities
from core.clock import local_day
from observatoire.instantanes import EFFECTIFS, PARTS, tendance
from observatoire.messages import DemandeInstantane, InstantanePris
from observatoire.planification import (
    PLANIFICATION_ID,
    declencher_instantane,
    planifier_instantanes,
)
from schemas.common import Territoire
from store.db import SessionFactory, create_schema, make_engine, session_factory
from store.indicateurs import DEPARTEMENT, InstantaneIndicateur
from tests.observatoire.conftest import Serveur
from tests.observatoire.dossiers import projeter
from tests.observatoire.jeu import DOSSIERS, REFERENCE
from worker import SANDBOX
from workflows.observatoire import ObservatoireQuotidienWorkflow

LIGNES_PAR_JOUR = 19 * (1 + len(Territoire))  # every indicator, per territory and département


async def instantane(sessions: SessionFactory, jour: date = REFERENCE) -> InstantanePris:
    activites = ObservatoireActivities(sessions)
    pris: InstantanePris = await ActivityEnvironment().run(
        activites.prendre_instantane, DemandeInstantane(jour=jour)
    )
    return pris


async def contenu(
    sessions: SessionFactory, jour: date
) -> dict[tuple[date, str, str], dict[str, Any]]:
    """The rows of that day: the module's read model is shared, and another of its tests may
    have taken another day's snapshot before this one runs (pytest -p randomly)."""
    async with sessions() as session:
        requete = select(InstantaneIndicateur).where(InstantaneIndicateur.jour == jour)
        rows = (await session.exec(requete)).all()
    return {(r.jour, r.territoire, r.code): r.valeur for r in rows}


async def test_l_instantane_du_jour_est_idempotent(lecture: SessionFactory) -> None:
    assert await instantane(lecture) == InstantanePris(jour=REFERENCE, lignes=LIGNES_PAR_JOUR)
    avant = await contenu(lecture, REFERENCE)
    assert await instantane(lecture) == InstantanePris(jour=REFERENCE, lignes=LIGNES_PAR_JOUR)
    assert await contenu(lecture, REFERENCE) == avant
    assert len(avant) == LIGNES_PAR_JOUR
    chablais = avant[(REFERENCE, "chablais", "ruptures_part")]
    assert chablais["du"] == "2025-07-01"  # twelve sliding months
    assert chablais["lignes"][0]["valeurs"] == {"entres": 2, "avec_rupture": 0, "part": 0}  # 11, 12


async def test_la_tendance_se_lit_dans_les_instantanes(lecture: SessionFactory) -> None:
    await instantane(lecture, REFERENCE - timedelta(days=1))
    await instantane(lecture)
    async with lecture() as session:
        t = await tendance(session, DEPARTEMENT, REFERENCE - timedelta(days=30), REFERENCE)
    assert t.jours == [REFERENCE - timedelta(days=1), REFERENCE]
    assert [v for _, v in t.series(EFFECTIFS)] == [[7, 7], [2, 2]]
    # rupture share, sorties positives (all five within the twelve months), J+180
    assert [v for _, v in t.series(PARTS)] == [[28.6, 28.6], [40, 40], [66.7, 66.7]]


async def test_la_page_trace_l_evolution_et_l_exporte(serveur: Serveur) -> None:
    await instantane(serveur.sessions)
    async with serveur.client("coord-bassin_annecien") as client:
        r = await client.get("/observatoire", params={"au": "2026-06-30"})
        assert r.status_code == 200
        # the counts are drawn; the parts, all masked (fewer than 5), say there is nothing to draw
        assert r.text.count("<line-chart") == 1
        assert "Aucune donnée à représenter sur cette période" in r.text
        assert "Tableau des instantanés (1 jour)" in r.text
        assert "Aucun instantané" not in r.text
        assert "/observatoire/export/evolution.csv?au=2026-06-30" in r.text
        r = await client.get("/observatoire/export/evolution.csv", params={"au": "2026-06-30"})
    assert r.status_code == 200
    entete, *lignes = csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";")
    assert entete == [
        "Jour",
        "Parcours non clos",
        "Dont en rupture",
        "Part des parcours en rupture (%)",
        "Taux de sorties positives (12 mois glissants) (%)",
        "Part en emploi à J+180 (%)",
    ]
    # Bassin annécien: 6 open (2 in rupture), 4 sorties within twelve months, 2 hired long ago
    assert lignes == [["2026-06-30", "6", "< 5", "masqué", "masqué", "masqué"]]


async def _lignes_du_jour(sessions: SessionFactory, jour: date) -> int:
    async with sessions() as session:
        n = (
            await session.exec(
                select(func.count())
                .select_from(InstantaneIndicateur)
                .where(InstantaneIndicateur.jour == jour)
            )
        ).one()
    return int(n)


async def test_la_planification_quotidienne_tourne_sur_temporal(
    temporal_local: WorkflowEnvironment, base_lecture: str
) -> None:
    client, queue = temporal_local.client, f"observatoire-{uuid.uuid4()}"
    await planifier_instantanes(client, "une-autre-file")
    await planifier_instantanes(client, queue)  # already there: brought up to date
    await planifier_instantanes(client, queue)
    handle = client.get_schedule_handle(PLANIFICATION_ID)
    description = await handle.describe()
    action = description.schedule.action
    assert isinstance(action, ScheduleActionStartWorkflow)
    assert (action.workflow, action.task_queue) == ("ObservatoireQuotidien", queue)
    spec = description.schedule.spec
    assert spec.time_zone_name == "Europe/Paris"
    assert [(c.hour[0].start, c.minute[0].start) for c in spec.calendars] == [(2, 30)]

    engine = make_engine(base_lecture)
    await create_schema(engine)
    sessions = session_factory(engine)
    await projeter(sessions, DOSSIERS)
    jour = local_day(datetime.now(UTC))
    async with Worker(
        client,
        task_queue=queue,
        workflows=[ObservatoireQuotidienWorkflow],
        activities=[ObservatoireActivities(sessions).prendre_instantane],
        workflow_runner=SANDBOX,
    ):
        await declencher_instantane(client)
        for _ in range(300):
            if await _lignes_du_jour(sessions, jour) == LIGNES_PAR_JOUR:
                break
            await asyncio.sleep(0.1)
    assert await _lignes_du_jour(sessions, jour) == LIGNES_PAR_JOUR
    await engine.dispose()

    await handle.pause(note="maintenance")
    await planifier_instantanes(client, queue)  # an operator's pause survives a restart
    assert (await handle.describe()).schedule.state.paused
    await handle.unpause()
