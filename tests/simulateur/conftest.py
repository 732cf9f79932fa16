"""Fixtures of the simulator's own tests.

The `simulateur` fixture is imported rather than declared with `pytest_plugins`: pytest
refuses `pytest_plugins` outside the top-level conftest when the whole suite runs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from core.partners import PartnerConfig, load_partners
from core.settings import Settings
from tests.fixtures.simulateur import (  # noqa: F401
    Simulateur,
    serveur_http,
    simulateur,
    simulateur_session,
)


@dataclass
class Requete:
    partner: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Recepteur:
    """A stand-in for the platform's event endpoint: it records what arrives."""

    url: str
    requetes: list[Requete] = field(default_factory=list)


@pytest.fixture
def recepteur() -> Iterator[Recepteur]:
    app = FastAPI()
    recu = Recepteur(url="")

    @app.post("/api/v1/partners/{partner}/events")
    async def evenement(partner: str, request: Request) -> JSONResponse:
        recu.requetes.append(Requete(partner, dict(request.headers), await request.body()))
        return JSONResponse({"status": "accepted", "matched": False}, status_code=202)

    with serveur_http(app) as url:
        recu.url = url
        yield recu


@pytest.fixture(scope="session")
def partners() -> dict[str, PartnerConfig]:
    settings = Settings()
    return load_partners(settings.partners_file, settings.effective_partner_base_url)


@pytest.fixture
def entetes(partners: dict[str, PartnerConfig]) -> Any:
    """Headers the platform sends to a partner: its bearer token and an idempotency key."""

    def faire(partner: str, cle: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {partners[partner].jeton}"}
        return headers | ({"Idempotency-Key": cle} if cle else {})

    return faire


@pytest.fixture
async def client(simulateur: Simulateur) -> AsyncIterator[httpx.AsyncClient]:  # noqa: F811
    """A client of the simulator (plain HTTP: verify=False skips loading CA certificates)."""
    async with httpx.AsyncClient(timeout=60, base_url=simulateur.base_url, verify=False) as http:
        yield http
