"""Issue 22, item 8: the carnet told the person to call their référent without saying how.
It now gives the référent's professional address (and their structure's telephone when the
structure has one), on the carnet the référent prints as on the one the person opens."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.cockpit.conftest import CLAIRE, ouvrir, stable
from tests.fixtures.plateforme import Plateforme
from tests.navigateur.conftest import se_connecter

pytestmark = pytest.mark.browser
EMAIL = "claire.martin@hautesavoie.fr"


async def test_le_carnet_donne_le_contact_du_referent(page: Page, plateforme: Plateforme) -> None:
    async with plateforme.client(CLAIRE) as api:
        pid = await ouvrir(api)
        await stable(api, pid)
    await se_connecter(page, plateforme, EMAIL)
    await page.goto(f"{plateforme.base_url}/parcours/{pid}/carnet")
    rubrique = page.locator("section", has=page.get_by_role("heading", name="Votre référent"))
    await expect(rubrique).to_contain_text("C'est la personne à contacter")
    await expect(rubrique.get_by_role("listitem")).to_have_text([f"Par courriel : {EMAIL}"])
