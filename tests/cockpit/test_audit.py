"""The administration searches the audit log from the cockpit and exports what it found."""

from __future__ import annotations

import csv
import io

import httpx

from tests.cockpit.conftest import ADMIN, CLAIRE, ouvrir
from tests.cockpit.html import element
from tests.fixtures.plateforme import Plateforme


async def test_recherche_et_export_du_journal(plateforme: Plateforme) -> None:
    async with plateforme.client(CLAIRE) as claire:
        pid = await ouvrir(claire)
        refus = await claire.get("/administration/audit")
        assert refus.status_code == 403
    async with plateforme.client(ADMIN) as admin:
        page = await admin.get(
            "/administration/audit", params={"objet": f"parcours:{pid}", "du": "", "au": ""}
        )
        assert page.status_code == 200, page.text
        tableau = element(page.text, "journal-audit")
        assert f"parcours:{pid}" in tableau
        assert "ref-claire-martin" in tableau
        assert 'href="/administration/audit"' in page.text  # in the navigation
        lien = element(page.text, "export-audit")
        assert f"/api/v1/audit/export.csv?objet=parcours%3A{pid}" in lien
        export = await admin.get(f"/api/v1/audit/export.csv?objet=parcours%3A{pid}")
        assert export.headers["content-type"] == "text/csv; charset=utf-8"
        lignes = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff")), delimiter=";"))
        assert lignes[1:]
        assert {ligne[5] for ligne in lignes[1:]} == {f"parcours:{pid}"}


async def test_lien_dans_la_navigation_de_l_administration_seulement(
    plateforme: Plateforme, claire: httpx.AsyncClient
) -> None:
    accueil = await claire.get("/")
    assert "/administration/audit" not in accueil.text
