"""The fault-injection suite runs one real platform, shared by its tests (starting it costs
some ten seconds): each test injects its fault, and the next one starts from a healthy system."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio

from tests.fiabilite.systeme import Systeme, systeme_demarre
from tests.fixtures.simulateur import Simulateur, running_simulator


@pytest.fixture(scope="session")
def simulateur_fiabilite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulateur]:
    """A simulator of its own: the counts of side effects belong to this suite alone."""
    with running_simulator(data_dir=tmp_path_factory.mktemp("simulateur-fiabilite")) as sim:
        yield sim


@pytest_asyncio.fixture(scope="session")
async def systeme_partage(
    tmp_path_factory: pytest.TempPathFactory, simulateur_fiabilite: Simulateur
) -> AsyncIterator[Systeme]:
    dossier = tmp_path_factory.mktemp("fiabilite")
    async with systeme_demarre(dossier, simulateur_fiabilite) as s:
        simulateur_fiabilite.set_platform_url(s.settings.effective_public_url)
        yield s


@pytest_asyncio.fixture
async def systeme(systeme_partage: Systeme) -> AsyncIterator[Systeme]:
    """The running platform, every process up, partners back to normal."""
    await systeme_partage.sain()
    for partenaire in systeme_partage.simulateur.store.modes():
        await systeme_partage.simulateur.mode(partenaire, "normal")
    yield systeme_partage
