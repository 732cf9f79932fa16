"""Temporal unreachable: a parcours page is still served, from the read model, read-only and
saying so; whoever may not read the dossier gets the same 503 as for a parcours that does not
exist; a command is refused with the existing 503."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest_asyncio
from sqlmodel import select

from store.db import make_engine, session_factory
from store.parcours import ParcoursRow
from tests.api import donnees
from tests.cockpit.conftest import CLAIRE
from tests.fixtures.plateforme import Plateforme, _free_socket, servir
from web.app import create_app

BANDEAU = "Moteur de parcours injoignable : dossier en lecture seule"


def _port_ferme() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends: nothing listens


@pytest_asyncio.fixture
async def sans_temporal(plateforme: Plateforme) -> AsyncIterator[str]:
    """The platform's read model, served by a web app whose Temporal does not answer."""
    settings = plateforme.settings.model_copy(
        update={"temporal_address": f"127.0.0.1:{_port_ferme()}"}
    )
    sock = _free_socket()
    async with servir(create_app(settings, task_queue=plateforme.task_queue), sock):
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


async def _projete(plateforme: Plateforme, pid: str, version: int) -> None:
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        limite = asyncio.get_running_loop().time() + 20
        while True:
            async with session_factory(engine)() as session:
                row = (await session.exec(select(ParcoursRow).where(ParcoursRow.id == pid))).first()
            if row is not None and row.version >= version:
                return
            assert asyncio.get_running_loop().time() < limite, "projection absente"
            await asyncio.sleep(0.2)
    finally:
        await engine.dispose()


async def test_temporal_injoignable_la_fiche_vient_du_modele_de_lecture(
    plateforme: Plateforme, claire: httpx.AsyncClient, accueilli: str, sans_temporal: str
) -> None:
    avec_temporal = await claire.get(f"/parcours/{accueilli}")
    assert f"/parcours/{accueilli}/commandes/" in avec_temporal.text  # commands, normally
    vu = (await claire.get(f"/api/v1/parcours/{accueilli}")).json()
    await _projete(plateforme, accueilli, vu["etat"]["version"])
    nom = vu["etat"]["usager"]["nom"]

    def client(compte: str) -> httpx.AsyncClient:
        jeton = plateforme.jetons[compte]
        return httpx.AsyncClient(
            base_url=sans_temporal, headers={"Authorization": f"Bearer {jeton}"}, timeout=60
        )

    async with client(CLAIRE) as c:
        page = await c.get(f"/parcours/{accueilli}")
        assert page.status_code == 200, page.text[:300]
        assert BANDEAU in page.text
        assert nom.upper() in page.text
        assert "Accueil" in page.text  # the timeline, from the read model
        assert f"/parcours/{accueilli}/commandes/" not in page.text  # no command offered
        timeline = await c.get(f"/parcours/{accueilli}/fragments/timeline")
        assert timeline.status_code == 200
        commande = await c.post(
            f"/api/v1/parcours/{accueilli}/enregistrer-diagnostic",
            json=donnees.diagnostic(date.today()),
        )
        assert commande.status_code == 503
        assert commande.json()["code"] == "temporal_indisponible"
    async with client("ref-marc-roux") as autre:
        refus = await autre.get(f"/parcours/{accueilli}")
        inconnu = await autre.get(f"/parcours/{uuid.uuid4()}")
    assert refus.status_code == inconnu.status_code == 503
    assert nom.upper() not in refus.text
    assert BANDEAU not in refus.text
