"""What the cockpit tests share: the demo accounts they act as, and parcours opened through
the API in the situations the screens must show."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest_asyncio

from tests.api import donnees
from tests.fixtures.plateforme import Plateforme

CLAIRE, KARIM = "ref-claire-martin", "ref-karim-benali"
COORD, COORD_CHABLAIS, ADMIN = "coord-bassin_annecien", "coord-chablais", "admin"
HTMX = {"HX-Request": "true"}


def nom_unique() -> str:
    return "Cockpit" + uuid.uuid4().hex[:8].upper()


async def ouvrir(client: httpx.AsyncClient, jour: date | None = None, **usager: Any) -> str:
    """A parcours opened at accueil (today unless ``jour``) for a person of a unique name."""
    corps = donnees.accueil(jour or date.today(), nom=nom_unique(), **usager)
    reponse = await client.post("/api/v1/parcours", json=corps | {"doublon_confirme": True})
    assert reponse.status_code == 201, reponse.text
    return str(reponse.json()["id"])


async def stable(client: httpx.AsyncClient, pid: str, delai_s: float = 15) -> None:
    """Wait until the parcours stops moving (its vigie and children settle after a command),
    so that two reads in a row see the same version."""
    limite = asyncio.get_running_loop().time() + delai_s
    avant = None
    while asyncio.get_running_loop().time() < limite:
        version = (await client.get(f"/api/v1/parcours/{pid}")).json()["etat"]["version"]
        if version == avant:
            return
        avant = version
        await asyncio.sleep(0.4)
    raise AssertionError(f"Le parcours {pid} bouge encore après {delai_s} s")


async def commande(client: httpx.AsyncClient, pid: str, nom: str, corps: dict[str, Any]) -> None:
    reponse = await client.post(f"/api/v1/parcours/{pid}/{nom.replace('_', '-')}", json=corps)
    assert reponse.status_code == 200, reponse.text


@pytest_asyncio.fixture
async def claire(plateforme: Plateforme) -> Any:
    async with plateforme.client(CLAIRE) as client:
        yield client


@pytest_asyncio.fixture
async def accueilli(claire: httpx.AsyncClient) -> str:
    """Claire's new parcours, at accueil today."""
    pid = await ouvrir(claire)
    await stable(claire, pid)
    return pid


async def contractualiser(
    claire: httpx.AsyncClient, debut: date | None = None, fin: date | None = None
) -> str:
    """Claire's new parcours oriented today to her own organisme, with a contract drafted from
    ``debut`` to ``fin`` (today and six months on unless given) and signed today."""
    today = date.today()
    pid = await ouvrir(claire)
    await commande(claire, pid, "enregistrer_diagnostic", donnees.diagnostic(today, ("mobilite",)))
    decision = {
        "decidee_le": today.isoformat(),
        "type": "sociale",
        "organisme": "conseil_departemental",
        "referent_id": CLAIRE,
        "motif_ecart": "Suivi social déjà engagé au pôle médico-social",
    }
    await commande(claire, pid, "decider_orientation", decision)
    contrat = donnees.contrat(debut or today) | {"type": "cer"}
    if fin is not None:
        contrat["date_fin"] = fin.isoformat()
    await commande(claire, pid, "rediger_contrat", contrat)
    for qui in ("usager", "referent"):
        await commande(claire, pid, "signer_contrat", {"signataire": qui, "signe_le": str(today)})
    await stable(claire, pid)
    return pid


@pytest_asyncio.fixture
async def en_contrat(claire: httpx.AsyncClient) -> str:
    """Claire's parcours oriented to her own organisme, with a signed contract."""
    return await contractualiser(claire)


@pytest_asyncio.fixture
async def en_rupture(claire: httpx.AsyncClient) -> str:
    """Claire's parcours whose diagnostic is overdue (accueil 20 days ago): a rupture."""
    pid = await ouvrir(claire, date.today() - timedelta(days=20))
    await stable(claire, pid)
    return pid
