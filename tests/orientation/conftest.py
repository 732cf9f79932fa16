"""A fresh read model per test (SQLite, or PostgreSQL with PARCOURS_TEST_DB=postgresql)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from store.db import SessionFactory, create_schema, make_engine, session_factory
from tests.fixtures.postgres import BasesDeTest


@pytest_asyncio.fixture
async def sessions(
    bases_de_test: BasesDeTest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[SessionFactory]:
    engine = make_engine(bases_de_test.nouvelle(tmp_path_factory.mktemp("orientation")))
    await create_schema(engine)
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()
