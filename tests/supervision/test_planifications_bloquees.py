"""A platform schedule whose run is blocked is seen: on a real Temporal server, a schedule
whose workflow fails in its code at every task (what the codec defect of stop 29 did to every
schedule) is found by the technical watch, shown to the coordination in its incidents and
counted in the metrics; a healthy schedule is not. When the watch itself stops, the
coordination is told that what it sees may be stale."""

from __future__ import annotations

import asyncio
import html
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import pytest_asyncio
from temporalio import workflow
from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from core.planifications import planifier
from ops.planifications_bloquees import EtatPlanification, ecrire, reperer
from store.db import SessionFactory, make_engine, session_factory
from store.planifications import SantePlanification
from tests.cockpit.conftest import COORD
from tests.fixtures.plateforme import Plateforme
from tests.supervision.test_metriques import _gratter, _valeur, supervision

T = TypeVar("T")
CAUSE = "Résultat de l'exécution précédente illisible"


@workflow.defn(name="TourEnPanne")
class TourEnPanne:
    @workflow.run
    async def run(self) -> None:
        raise RuntimeError(CAUSE)  # not a Temporal failure: the task fails, and again


@workflow.defn(name="TourSain")
class TourSain:
    @workflow.run
    async def run(self) -> int:
        return 1


@pytest_asyncio.fixture
async def lecture(plateforme: Plateforme) -> AsyncIterator[SessionFactory]:
    engine = make_engine(plateforme.settings.effective_database_url)
    yield session_factory(engine)
    await engine.dispose()


async def _attendre(quoi: Callable[[], Awaitable[T | None]], message: str) -> T:
    limite = asyncio.get_running_loop().time() + 90
    while not (trouve := await quoi()):
        if asyncio.get_running_loop().time() > limite:
            raise AssertionError(f"Toujours rien après 90 s : {message}")
        await asyncio.sleep(0.5)
    return trouve


async def _incidents(plateforme: Plateforme) -> str:
    async with plateforme.client(COORD) as coord:
        reponse = await coord.get("/coordination/fragments/incidents")
    assert reponse.status_code == 200, reponse.text
    return " ".join(reponse.text.split())


async def _schedules(client: Client, queue: str) -> tuple[str, str]:
    panne, sain = f"tour-en-panne-{uuid.uuid4()}", f"tour-sain-{uuid.uuid4()}"
    await planifier(client, panne, "TourEnPanne", "0 6 * * *", queue, "Tour de test en panne")
    await planifier(client, sain, "TourSain", "0 6 * * *", queue, "Tour de test sain")
    for schedule_id in (panne, sain):
        await client.get_schedule_handle(schedule_id).trigger()
    return panne, sain


async def test_une_planification_bloquee_est_vue_par_la_coordination_et_les_metriques(
    plateforme: Plateforme, lecture: SessionFactory, supervision: str
) -> None:
    client = plateforme.env.client
    queue = f"planifications-{uuid.uuid4()}"
    async with Worker(
        client,
        task_queue=queue,
        workflows=[TourEnPanne, TourSain],
        workflow_runner=UnsandboxedWorkflowRunner(),
    ):
        panne, sain = await _schedules(client, queue)
        try:

            async def bloquee() -> list[EtatPlanification] | None:
                etats = {e.id: e for e in await reperer(client)}
                vue = etats.get(panne)
                return list(etats.values()) if vue and vue.bloquee else None

            etats = await _attendre(bloquee, f"planification {panne} repérée bloquée")
            par_id = {e.id: e for e in etats}
            assert CAUSE in (par_id[panne].message or "")
            assert par_id[panne].note == "Tour de test en panne"
            assert not par_id[sain].bloquee
            assert await ecrire(lecture, etats) >= 1  # what the watch's activity does

            page = await _incidents(plateforme)
            assert "Tâches planifiées de la plateforme en panne" in page
            ligne = page.split(f'data-planification="{panne}"')[1].split("</li>")[0]
            assert "Tour de test en panne" in ligne
            assert CAUSE in html.unescape(ligne)
            assert f'data-planification="{sain}"' not in page

            _, series = await _gratter(supervision)
            bloquees = "parcours_planifications_bloquees"
            assert _valeur(series, bloquees, planification=panne) == 1
            assert _valeur(series, bloquees, planification=sain) == 0
            assert _valeur(series, "parcours_surveillance_technique_age_secondes") < 600
        finally:
            for schedule_id in (panne, sain):
                await client.get_schedule_handle(schedule_id).delete()
            async for e in client.list_workflows(
                f"WorkflowType = 'TourEnPanne' AND TaskQueue = '{queue}'"
            ):
                if e.status is not None and e.close_time is None:
                    await client.get_workflow_handle(e.id, run_id=e.run_id).terminate("fin du test")
            await ecrire(lecture, [])  # the next tests see a healthy platform


async def test_une_surveillance_muette_est_signalee(
    plateforme: Plateforme, lecture: SessionFactory
) -> None:
    il_y_a_une_heure = datetime.now(UTC) - timedelta(hours=1)
    async with lecture() as session:
        session.add(
            SantePlanification(
                id=f"vigie-{uuid.uuid4()}", note="Vigie", verifiee_le=il_y_a_une_heure
            )
        )
        await session.commit()
    try:
        page = await _incidents(plateforme)
        assert "La surveillance technique n'a rien vérifié depuis le" in page
    finally:
        await ecrire(lecture, [])
    assert "Tâches planifiées de la plateforme en panne" not in await _incidents(plateforme)


__all__ = ["supervision"]  # the fixture: a web app with a metrics token
