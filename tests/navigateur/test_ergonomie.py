"""What a new user tripped on, seen in Chromium (issue 22): the focus after a form is closed,
the pages at phone width, and axe-core on every cockpit page."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from playwright.async_api import Page, expect

from tests.cockpit.conftest import CLAIRE, ouvrir, stable
from tests.fixtures.plateforme import Plateforme
from tests.navigateur.conftest import se_connecter

pytestmark = pytest.mark.browser
EMAIL = "claire.martin@hautesavoie.fr"


@pytest_asyncio.fixture
async def pid(plateforme: Plateforme) -> AsyncIterator[str]:
    async with plateforme.client(CLAIRE) as api:
        ident = await ouvrir(api)
        await stable(api, ident)
        yield ident


async def test_le_focus_revient_au_bouton_qui_a_ouvert_le_formulaire(
    page: Page, plateforme: Plateforme, pid: str
) -> None:
    """Item 6: « Annuler » gives the focus back to the command's button, not to the body."""
    await se_connecter(page, plateforme, EMAIL)
    await page.goto(f"{plateforme.base_url}/parcours/{pid}")
    bouton = page.locator('#commandes button[data-commande="enregistrer_contact"]')
    await bouton.focus()
    await page.keyboard.press("Enter")
    formulaire = page.locator("#formulaire-enregistrer_contact")
    await expect(formulaire).to_be_visible()
    await formulaire.get_by_role("button", name="Annuler").click()
    await expect(formulaire).to_have_count(0)
    await expect(bouton).to_be_focused()
