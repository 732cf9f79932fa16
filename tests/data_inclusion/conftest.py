"""The simulated data·inclusion of a test: the recorded pages' items as its offer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from starlette.routing import Mount

from activities.data_inclusion import ClientDataInclusion
from core.partners import load_partners
from core.settings import Settings
from simulator.data_inclusion import JeuDataInclusion
from tests.fixtures.simulateur import Simulateur

ENREGISTREMENTS = Path(__file__).resolve().parent.parent / "fixtures" / "data_inclusion"


def enregistrement(nom: str) -> Any:
    return json.loads((ENREGISTREMENTS / nom).read_text(encoding="utf-8"))


def services_enregistres() -> list[dict[str, Any]]:
    return [
        *enregistrement("services-74-page-1.json")["items"],
        *enregistrement("services-74-page-2.json")["items"],
    ]


def structures_enregistrees() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = enregistrement("structures-74-page-1.json")["items"]
    return items


@pytest.fixture
def jeu_di(simulateur: Simulateur) -> Iterator[JeuDataInclusion]:
    """The simulator's data·inclusion, serving the recorded offer for this test only."""
    montage = next(
        r for r in simulateur.app.routes if isinstance(r, Mount) and r.path == "/data-inclusion"
    )
    application = montage.app
    assert isinstance(application, FastAPI)
    avant = application.state.jeu
    jeu = JeuDataInclusion()
    jeu.remplacer(services_enregistres(), structures_enregistrees())
    application.state.jeu = jeu
    yield jeu
    application.state.jeu = avant


@pytest.fixture
async def client_di(settings: Settings) -> Any:
    partners = load_partners(settings.partners_file, settings.effective_partner_base_url)
    async with httpx.AsyncClient(timeout=60) as http:
        yield ClientDataInclusion(partners["data-inclusion"], http)
