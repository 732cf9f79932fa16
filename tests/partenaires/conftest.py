"""Fixtures of the partner tests: the platform's read model, opened on the same database."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from store.db import SessionFactory, make_engine, session_factory
from tests.fixtures.plateforme import Plateforme


@pytest_asyncio.fixture(scope="session")
async def lecture(plateforme: Plateforme) -> AsyncIterator[SessionFactory]:
    engine = make_engine(plateforme.settings.effective_database_url)
    yield session_factory(engine)
    await engine.dispose()
