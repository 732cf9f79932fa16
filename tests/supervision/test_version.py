"""The version of the running code, where an operator looks for it during a rolling update:
the health answers, the ``parcours_build_info`` metric, and the footer of the administration
pages (not of the référents' pages, nor of the public ones)."""

from __future__ import annotations

import secrets
from pathlib import Path

import httpx

from core.settings import Settings
from core.version import version
from tests.securite.cockpit_seul import cockpit_seul
from tests.securite.outils import connecte

ADMIN = "admin@spie74.fr"
REFERENTE = "claire.martin@hautesavoie.fr"


def test_sans_version_construite_celle_du_paquet() -> None:
    assert version(Settings()) == "0.1.0"  # pyproject.toml's, installed with `pip install -e .`
    assert version(Settings(PARCOURS_VERSION="v1.2.3")) == "v1.2.3"


async def test_la_version_construite_est_dite_partout(base_lecture: str, tmp_path: Path) -> None:
    numero = f"v9.{secrets.randbelow(1000)}.0-{secrets.token_hex(3)}"
    jeton = secrets.token_urlsafe(16)
    async with cockpit_seul(
        tmp_path, base_lecture, PARCOURS_VERSION=numero, METRICS_TOKEN=jeton
    ) as web:
        async with httpx.AsyncClient(base_url=web, timeout=30) as anonyme:
            assert (await anonyme.get("/livez")).json() == {"statut": "ok", "version": numero}
            assert (await anonyme.get("/readyz")).json()["version"] == numero  # 503: no Temporal
            metriques = await anonyme.get("/metrics", headers={"Authorization": f"Bearer {jeton}"})
            assert f'parcours_build_info{{version="{numero}"}} 1.0' in metriques.text
            assert numero not in (await anonyme.get("/connexion")).text
        async with connecte(web, ADMIN) as (admin, _):
            for page in ("/administration", "/administration/audit"):
                reponse = await admin.get(page)
                assert reponse.status_code == 200, reponse.text
                assert f"Version {numero}" in reponse.text, page
        async with connecte(web, REFERENTE) as (claire, _):
            assert numero not in (await claire.get("/")).text
