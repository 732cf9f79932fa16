"""Shared fixtures: Temporal's time-skipping test server, a worker per test, a fresh database."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import pytest
import pytest_asyncio
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.testing import WorkflowEnvironment

from core import search_attributes as sa
from core.clock import local_day
from core.parcours_client import ParcoursClient
from core.settings import DEV_CODEC_KEY, Settings
from core.temporal import data_converter
from devstack.demo.comptes import creer_comptes
from schemas.parcours import ParcoursState
from store.db import create_schema, make_engine, session_factory
from tests.fixtures.outils import binary
from worker import running_worker

pytest_plugins = [
    "tests.fixtures.simulateur",
    "tests.fixtures.plateforme",
    "tests.fixtures.postgres",
]

if TYPE_CHECKING:
    from tests.fixtures.postgres import BasesDeTest
    from tests.fixtures.simulateur import Simulateur


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


@pytest_asyncio.fixture(scope="session")
async def temporal_env() -> AsyncIterator[WorkflowEnvironment]:
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


async def _avec_comptes(settings: Settings) -> None:
    engine = make_engine(settings.effective_database_url)
    await create_schema(engine)
    async with session_factory(engine)() as session:
        await creer_comptes(session)  # e-mails to référents and coordinators find their addresses
    await engine.dispose()


@pytest_asyncio.fixture(scope="session")
async def worker_partage(
    temporal_env: WorkflowEnvironment,
    simulateur_session: Simulateur,
    tmp_path_factory: pytest.TempPathFactory,
    bases_de_test: BasesDeTest,
) -> AsyncIterator[str]:
    """One worker for every workflow test. On the time-skipping server, a workflow whose
    worker is gone would freeze the shared clock for all the tests after it, so the workflows
    of earlier tests keep their worker until the end of the session."""
    tmp = tmp_path_factory.mktemp("workflows")
    settings = _settings(tmp, simulateur_session, bases_de_test.nouvelle(tmp))
    await _avec_comptes(settings)
    queue = f"test-{uuid.uuid4()}"
    async with running_worker(temporal_env.client, settings, task_queue=queue):
        yield queue


@pytest.fixture
def parcours(
    temporal_env: WorkflowEnvironment, worker_partage: str, simulateur: Simulateur
) -> ParcoursClient:
    """A ParcoursClient on the time-skipping server (the simulator is emptied for the test)."""
    return ParcoursSuivis(temporal_env.client, task_queue=worker_partage)


class ParcoursSuivis(ParcoursClient):
    """Remembers every parcours opened, so that a frozen test clock can say which one holds it."""

    ouverts: ClassVar[list[str]] = []

    async def ouvrir(self, *args: Any, **kwargs: Any) -> ParcoursState:
        state = await super().ouvrir(*args, **kwargs)
        ParcoursSuivis.ouverts.append(state.parcours_id)
        return state


@pytest_asyncio.fixture
async def aujourd_hui(temporal_env: WorkflowEnvironment) -> date:
    """Today in France, on the test server's clock (which skips ahead in tests)."""
    return local_day(await temporal_env.get_current_time())
