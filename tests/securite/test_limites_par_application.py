"""Each web application counts its own tries: a second application of the same process (a
test's second platform, a second app on the same base) neither uses up nor inherits the
first one's limits."""

from __future__ import annotations

import html
import secrets

import httpx

from tests.fixtures.plateforme import Plateforme, servir
from tests.fixtures.simulateur import socket_libre
from web.app import create_app
from web.securite.limites import reglages


async def test_deux_applications_comptent_chacune_leurs_tentatives(
    plateforme: Plateforme,
) -> None:
    maximum = reglages(plateforme.settings)["carnet"].maximum
    sock = socket_libre()
    async with (
        servir(create_app(plateforme.settings, task_queue=plateforme.task_queue), sock),
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{sock.getsockname()[1]}") as autre,
        plateforme.client() as premiere,
    ):
        # the second application's carnet, used up from 127.0.0.1…
        for _ in range(maximum):
            r = await autre.get(f"/carnet/{secrets.token_urlsafe(32)}")
            assert r.status_code == 404, r.text
        r = await autre.get(f"/carnet/{secrets.token_urlsafe(32)}")
        assert r.status_code == 429, r.text
        assert "Trop de tentatives : réessayez dans une minute." in r.text

        # …and the first one still answers the same address as at its first visit
        r = await premiere.get(f"/carnet/{secrets.token_urlsafe(32)}")
        assert r.status_code == 404, r.text
        assert "Ce lien n'est pas valable ou a expiré." in html.unescape(r.text)
