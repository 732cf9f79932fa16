"""Shared fixtures: Temporal's time-skipping test server, a worker per test, a fresh database."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

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
from tests.fixtures.outils import binary
from worker import running_worker

pytest_plugins = [
    "tests.fixtures.simulateur",
    "tests.fixtures.plateforme",
    "tests.fixtures.postgres",
]


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


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        DATA_DIR=tmp_path, DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'lecture.db'}"
    )


@pytest_asyncio.fixture
async def parcours(
    temporal_env: WorkflowEnvironment, settings: Settings
) -> AsyncIterator[ParcoursClient]:
    """A ParcoursClient bound to a worker of its own (own task queue, own database)."""
    queue = f"test-{uuid.uuid4()}"
    async with running_worker(temporal_env.client, settings, task_queue=queue):
        yield ParcoursClient(temporal_env.client, task_queue=queue)


@pytest_asyncio.fixture
async def aujourd_hui(temporal_env: WorkflowEnvironment) -> date:
    """Today in France, on the test server's clock (which skips ahead in tests)."""
    return local_day(await temporal_env.get_current_time())
