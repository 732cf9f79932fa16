"""After login the cockpit goes back where the person was — never to another site, even when
the address is written the way browsers bend (« /\\site », a tab inside « //site »)."""

from __future__ import annotations

import re

import httpx
import pytest

from devstack.demo.comptes import MOT_DE_PASSE_DEMO
from tests.fixtures.plateforme import Plateforme

DETOURS = [
    "//pirate.example/",
    "/\\pirate.example/",
    "/\t/pirate.example/",
    "https://pirate.example/",
]


@pytest.mark.parametrize("suite", DETOURS)
async def test_le_formulaire_ne_garde_pas_une_adresse_exterieure(
    plateforme: Plateforme, suite: str
) -> None:
    async with httpx.AsyncClient(timeout=60, base_url=plateforme.base_url) as client:
        page = await client.get("/connexion", params={"suite": suite})
    assert page.status_code == 200
    assert re.search(r'name="suite" value="/"', page.text), page.text
    assert "pirate" not in page.text


async def test_apres_connexion_on_reste_sur_la_plateforme(plateforme: Plateforme) -> None:
    async with httpx.AsyncClient(timeout=60, base_url=plateforme.base_url) as client:
        page = await client.get("/connexion")
        jeton = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert jeton is not None
        reponse = await client.post(
            "/connexion",
            data={
                "email": "sophie.girard@hautesavoie.fr",
                "mot_de_passe": MOT_DE_PASSE_DEMO,
                "csrf_token": jeton.group(1),
                "suite": "/\\pirate.example/",
            },
        )
    assert reponse.status_code == 303, reponse.text
    assert reponse.headers["location"] == "/"
