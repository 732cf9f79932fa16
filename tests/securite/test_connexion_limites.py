"""Password guessing is slowed without locking out the people who work: failures only are
counted, per account and address and per address, in the database so that every web process
sees them; a 429 says when to come back, in its header and on the page."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest_asyncio
from sqlmodel import select

from store.comptes import EchecConnexion
from store.db import create_schema, make_engine, session_factory
from tests.securite.cockpit_seul import cockpit_seul, essayer, replique_web
from web.securite.limites import ADRESSE, COMPTE_ET_ADRESSE, echec_connexion

CLAIRE = "claire.martin@hautesavoie.fr"
BUREAU = "203.0.113.10"  # a département office: everyone behind one public address
AILLEURS = "198.51.100.7"


@pytest_asyncio.fixture
async def cockpit(tmp_path: Path, base_lecture: str) -> AsyncIterator[str]:
    async with cockpit_seul(tmp_path, base_lecture) as base:
        yield base


async def test_un_bureau_derriere_une_adresse_se_connecte_a_9h(cockpit: str) -> None:
    """Thirty people of one office log in within minutes: successes are never counted."""
    comptes = [CLAIRE, "sophie.girard@hautesavoie.fr", "anne.lefevre@spie74.fr"]
    for i in range(30):
        async with httpx.AsyncClient(timeout=60, base_url=cockpit) as client:
            arrivee = await essayer(client, comptes[i % 3], depuis=BUREAU)
            assert arrivee.status_code == 303, f"connexion n° {i + 1} : {arrivee.status_code}"


async def test_nul_ne_peut_bloquer_le_compte_d_autrui(cockpit: str) -> None:
    async with httpx.AsyncClient(timeout=60, base_url=cockpit) as attaquant:
        for _ in range(12):
            await essayer(attaquant, CLAIRE, "devine", depuis=AILLEURS)
        bloque = await essayer(attaquant, CLAIRE, "devine", depuis=AILLEURS)
        assert bloque.status_code == 429
    async with httpx.AsyncClient(timeout=60, base_url=cockpit) as claire:
        assert (await essayer(claire, CLAIRE, depuis=BUREAU)).status_code == 303


async def test_apres_cinq_echecs_un_429_dit_quand_revenir(cockpit: str) -> None:
    async with httpx.AsyncClient(timeout=60, base_url=cockpit) as client:
        for _ in range(5):
            assert (await essayer(client, CLAIRE, "faux")).status_code == 401
        bloque = await essayer(client, CLAIRE, "faux")
        assert bloque.status_code == 429
        assert 0 < int(bloque.headers["Retry-After"]) <= 60
        assert "Trop de tentatives : réessayez dans 1 minute." in html.unescape(bloque.text)
        # The right password does not get through either while the lock lasts.
        assert (await essayer(client, CLAIRE)).status_code == 429


def test_le_blocage_double_a_chaque_echec_et_plafonne() -> None:
    minutes = [COMPTE_ET_ADRESSE.blocage(n) for n in range(4, 10)]
    assert minutes == [None] + [timedelta(minutes=m) for m in (1, 2, 4, 8, 16)]
    assert COMPTE_ET_ADRESSE.blocage(1000) == timedelta(hours=1)
    assert ADRESSE.blocage(49) is None
    assert ADRESSE.blocage(50) == timedelta(minutes=1)


async def test_la_limite_vaut_pour_chaque_processus_web(
    cockpit: str, base_lecture: str, tmp_path: Path
) -> None:
    """A second web process on the same database (another replica) sees the failures."""
    async with httpx.AsyncClient(timeout=60, base_url=cockpit) as client:
        for _ in range(5):
            await essayer(client, CLAIRE, "faux")
    async with (
        replique_web(base_lecture, tmp_path) as autre,
        httpx.AsyncClient(timeout=60, base_url=autre) as client,
    ):
        assert (await essayer(client, CLAIRE, "faux")).status_code == 429


async def test_les_compteurs_d_un_jour_sont_effaces(base_lecture: str) -> None:
    """The counters hold (hashed) addresses: kept no longer than they serve."""
    engine = make_engine(base_lecture)
    await create_schema(engine)
    try:
        async with session_factory(engine)() as session:
            vieux = datetime.now(UTC) - timedelta(days=1, minutes=1)
            session.add(EchecConnexion(cle="ancienne", echecs=7, dernier_le=vieux))
            await session.commit()
            await echec_connexion(session, CLAIRE, AILLEURS)
            restantes = (await session.exec(select(EchecConnexion.cle))).all()
            assert "ancienne" not in restantes
            assert len(restantes) == 2  # this failure's: account+address, address
    finally:
        await engine.dispose()
