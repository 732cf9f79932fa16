"""Issue 22, item 13, in a browser: the DSFR footer's mandatory links open their pages (before
logging in too), and the list of parcours pages with « précédente » / « suivante »."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.cockpit.conftest import CLAIRE, ouvrir, stable
from tests.fixtures.plateforme import Plateforme
from tests.navigateur.conftest import se_connecter
from web.cockpit import liste

pytestmark = pytest.mark.browser
COORDINATION = "anne.lefevre@spie74.fr"
LIENS = {
    "Accessibilité : non conforme": "Déclaration d'accessibilité",
    "Mentions légales": "Mentions légales",
    "Données personnelles": "Données personnelles et cookies",
    "Gestion des cookies": "Données personnelles et cookies",
}


async def test_les_liens_obligatoires_du_pied_de_page(page: Page, plateforme: Plateforme) -> None:
    for lien, titre in LIENS.items():
        await page.goto(f"{plateforme.base_url}/connexion")  # nobody logged in yet
        pied = page.get_by_role("contentinfo")
        await pied.get_by_role("link", name=lien, exact=True).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text(titre)
    await expect(page.locator("#operateur")).to_have_text("Département de la Haute-Savoie")


async def test_pagination_precedente_et_suivante(
    page: Page, plateforme: Plateforme, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The app serves from this process: two parcours a page, three parcours, two pages at least.
    monkeypatch.setattr(liste, "PAR_PAGE", 2)
    async with plateforme.client(CLAIRE) as api:
        for pid in [await ouvrir(api) for _ in range(3)]:
            await stable(api, pid)
    await se_connecter(page, plateforme, COORDINATION)
    pagination = page.get_by_role("navigation", name="Pagination")
    precedente = pagination.get_by_text("Page précédente")
    await expect(precedente).to_have_attribute("aria-disabled", "true")  # on the first page
    await pagination.get_by_role("link", name="Page suivante").click()
    await expect(pagination.locator('[aria-current="page"]')).to_have_text("2")
    await expect(pagination.get_by_role("link", name="Page précédente")).to_have_attribute(
        "href", "/?page=1"
    )
