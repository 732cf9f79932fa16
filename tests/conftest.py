"""Shared fixtures: a time-skipping Temporal server and a worker per test, a fresh database."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import pytest
import pytest_asyncio
from argon2 import PasswordHasher, profiles
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.testing import WorkflowEnvironment

from core import search_attributes as sa
from core.clock import local_day
from core.settings import DEV_CODEC_KEY, Settings
from core.temporal import data_converter
from devstack.demo.comptes import creer_comptes
from schemas.parcours import ParcoursState
from services.parcours_client import ParcoursClient
from store.db import create_schema, make_engine, session_factory
from tests.fixtures.outils import binary
from web.securite import mots_de_passe
from worker import running_worker

# The tests live in the département's time zone, as the platform's days do (core/clock.py:
# « today » is the day in France): a test's « date.today() » is then the day the platform
# calls today. On a machine set to UTC the two differed from 23:00 to midnight UTC (22:00 in
# summer), and every test that dated something « today » failed in that hour (4 of them in a
# fresh run at 23:05 UTC on 4 December). Set when pytest loads this file, before any test
# reads the clock; the servers the tests start inherit it (the platform must be right
# whatever its machine's zone).
os.environ["TZ"] = "Europe/Paris"
time.tzset()

pytest_plugins = [
    "tests.fixtures.simulateur",
    "tests.fixtures.plateforme",
    "tests.fixtures.postgres",
]

if TYPE_CHECKING:
    from tests.fixtures.postgres import BasesDeTest
    from tests.fixtures.simulateur import Simulateur


def _argon2_au_cout_minimal() -> None:
    """Passwords hashed and checked in this process at argon2's lowest cost: the same
    algorithm, salt and hash lengths as production (RFC 9106's low-memory profile), at one
    pass over 8 KiB instead of three over 64 MiB on four lanes. A hash or a check cost 0.2 s
    of CPU, several seconds on a loaded machine: 30 logins made one test last 31 s. A check
    reads the cost from the hash, so hashes made here verify anywhere. Only the tests' own
    process: the platform started as processes by tests, and production, hash at full cost
    (tests/securite/test_mots_de_passe.py)."""
    cout_minimal = dataclasses.replace(
        profiles.RFC_9106_LOW_MEMORY,
        time_cost=profiles.CHEAPEST.time_cost,
        memory_cost=profiles.CHEAPEST.memory_cost,
        parallelism=profiles.CHEAPEST.parallelism,
    )
    mots_de_passe._hasher = PasswordHasher.from_parameters(cout_minimal)
    mots_de_passe._LEURRE = mots_de_passe._hasher.hash("leurre-pour-temps-constant")


_argon2_au_cout_minimal()


async def register_search_attributes(env: WorkflowEnvironment) -> None:
    await env.client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=env.client.namespace,
            search_attributes={
                key.name: IndexedValueType.Value(
                    f"INDEXED_VALUE_TYPE_{key.indexed_value_type.name.removeprefix('INDEXED_VALUE_TYPE_')}"
                )
                for key in sa.ALL
            },
        )
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test on the time-skipping server runs again once (on a fresh server) if, and only
    if, that server stranded one of its runs: see tests/workflows/temps.py, ExecutionEnPlan.
    The rerun shows in the summary (« 1 rerun »)."""
    from tests.workflows.temps import ExecutionEnPlan

    for item in items:
        if "temporal_env" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.flaky(reruns=1, only_rerun=[ExecutionEnPlan]))


@pytest_asyncio.fixture
async def temporal_env() -> AsyncIterator[WorkflowEnvironment]:
    """A time-skipping server of the test's own (~0.1 s to start): its clock starts at today
    and only this test's workflows hold it or fire when it skips. A shared server kept every
    earlier test's parcours, timers and children; each skip fired them all, and one of them
    tripping the server stopped the clock for every later test."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=binary("temporal-test-server"),
        data_converter=data_converter(DEV_CODEC_KEY),
    )
    await register_search_attributes(env)
    yield env
    await env.shutdown()


def _settings(data_dir: Path, sim: Simulateur, database_url: str) -> Settings:
    return Settings(
        DATA_DIR=data_dir,
        DATABASE_URL=database_url,
        PARTNER_BASE_URL=sim.settings.effective_partner_base_url,
        SMTP_HOST=sim.settings.smtp_host,
        SMTP_PORT=sim.settings.smtp_port,
    )


@pytest.fixture
def settings(tmp_path: Path, simulateur: Simulateur, base_lecture: str) -> Settings:
    """A fresh read model (SQLite, or PostgreSQL with PARCOURS_TEST_DB=postgresql); partner
    calls and e-mails go to the (emptied) simulator."""
    return _settings(tmp_path, simulateur, base_lecture)


async def _avec_comptes(database_url: str) -> None:
    engine = make_engine(database_url)
    await create_schema(engine)
    async with session_factory(engine)() as session:
        await creer_comptes(session)  # e-mails to référents and coordinators find their addresses
    await engine.dispose()


@pytest_asyncio.fixture(scope="session")
async def lecture_modele(
    bases_de_test: BasesDeTest, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """A read model with the demo accounts, made once (~0.4 s, several under load): each
    workflow test gets a copy of it."""
    url = bases_de_test.nouvelle(tmp_path_factory.mktemp("modele"))
    await _avec_comptes(url)
    return url


@pytest.fixture
def lecture_du_test(
    lecture_modele: str, bases_de_test: BasesDeTest, tmp_path: Path
) -> Iterator[str]:
    """The test's own read model: a worker stopped mid-activity may leave a transaction open
    on its database, which would lock a shared one for the next test."""
    url = bases_de_test.copie(lecture_modele, tmp_path)
    yield url
    bases_de_test.supprimer(url)


# Real seconds a test's worker may take to stop. It takes milliseconds, but a stop waits for
# the worker's outstanding long polls, which a server may hold up to about 70 s (seen once
# in a full run on a loaded machine: 60 s were not enough, the test itself had passed).
ARRET_DU_WORKER = 120.0


@pytest_asyncio.fixture
async def worker_du_test(
    temporal_env: WorkflowEnvironment,
    simulateur: Simulateur,
    lecture_du_test: str,
    tmp_path: Path,
) -> AsyncIterator[str]:
    """A worker on the test's own server (~0.2 s to start), stopped before the server. It
    runs in a task of its own so that a stop that never ends (seen once in 150 tests: the
    suite then hung in a teardown that pytest-timeout did not break) fails this test's
    teardown instead of holding the whole run."""
    queue = f"test-{uuid.uuid4()}"
    settings = _settings(tmp_path, simulateur, lecture_du_test)
    pret, fin = asyncio.Event(), asyncio.Event()

    async def faire_tourner() -> None:
        # no dispatcher of partner events: its endless activity would stop the skipped clock
        async with running_worker(
            temporal_env.client, settings, task_queue=queue, repartiteur=False
        ):
            pret.set()
            await fin.wait()

    tache = asyncio.create_task(faire_tourner())
    demarre = asyncio.create_task(pret.wait())
    await asyncio.wait({tache, demarre}, return_when=asyncio.FIRST_COMPLETED)
    demarre.cancel()
    if tache.done():
        tache.result()  # the worker did not start: its error
    yield queue
    fin.set()
    if not (await asyncio.wait({tache}, timeout=ARRET_DU_WORKER))[0]:
        tache.cancel()
        raise AssertionError(f"Le worker du test ne s'est pas arrêté en {ARRET_DU_WORKER:.0f} s")
    tache.result()


@pytest.fixture
def parcours(
    temporal_env: WorkflowEnvironment, worker_du_test: str, simulateur: Simulateur
) -> ParcoursClient:
    """A ParcoursClient on the test's time-skipping server (the simulator is emptied)."""
    ParcoursSuivis.ouverts.clear()  # the previous test's parcours were on another server
    return ParcoursSuivis(temporal_env.client, task_queue=worker_du_test)


class ParcoursSuivis(ParcoursClient):
    """Remembers the parcours the test opened, so that a frozen test clock can say which of
    them (or of their children) holds it."""

    ouverts: ClassVar[list[str]] = []

    async def ouvrir(self, *args: Any, **kwargs: Any) -> ParcoursState:
        state = await super().ouvrir(*args, **kwargs)
        ParcoursSuivis.ouverts.append(state.parcours_id)
        return state


@pytest_asyncio.fixture
async def aujourd_hui(temporal_env: WorkflowEnvironment) -> date:
    """Today in France, on the test server's clock (which skips ahead in tests)."""
    return local_day(await temporal_env.get_current_time())
