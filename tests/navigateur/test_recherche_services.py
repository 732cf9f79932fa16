"""The data·inclusion search from the person's file, in a real browser: the référent opens
« Prescrire une action », searches by thématique, picks a result, and the form is filled with
it (the prescription's answer by the structure is the orientation's own test)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Page, expect

from tests.api import donnees
from tests.cockpit.conftest import CLAIRE, commande, ouvrir, stable
from tests.fixtures.plateforme import Plateforme
from tests.navigateur.conftest import se_connecter

pytestmark = pytest.mark.browser
EMAIL = "claire.martin@hautesavoie.fr"


@pytest_asyncio.fixture
async def api(plateforme: Plateforme) -> AsyncIterator[httpx.AsyncClient]:
    async with plateforme.client(CLAIRE) as client:
        yield client


async def test_chercher_un_service_puis_le_prescrire(
    page: Page, plateforme: Plateforme, api: httpx.AsyncClient
) -> None:
    today = date.today()
    pid = await ouvrir(api)
    await commande(api, pid, "enregistrer_diagnostic", donnees.diagnostic(today))
    decision = {
        "decidee_le": today.isoformat(),
        "type": "sociale",
        "organisme": "conseil_departemental",
        "referent_id": CLAIRE,
        "motif_ecart": "Accompagnement social déjà engagé",
    }
    await commande(api, pid, "decider_orientation", decision)
    await commande(api, pid, "rediger_contrat", donnees.contrat(today) | {"type": "cer"})
    for qui in ("usager", "referent"):
        await commande(api, pid, "signer_contrat", {"signataire": qui, "signe_le": str(today)})
    await stable(api, pid)

    await se_connecter(page, plateforme, EMAIL)
    await page.goto(f"{plateforme.base_url}/parcours/{pid}")
    await page.click('button[data-commande="prescrire_action"]')
    recherche = page.locator("#recherche-services")
    await expect(recherche).to_be_visible()
    await page.select_option("#recherche-thematique", "mobilite")
    await recherche.get_by_role("button", name="Chercher").click()
    resultat = recherche.locator("li", has_text="Auto-école solidaire")
    await expect(resultat).to_be_visible()
    await expect(recherche).not_to_contain_text("Atelier de français")
    await resultat.get_by_role("button", name="Prescrire ce service").click()
    await expect(page.locator("#champ-service_id")).to_have_value("permis-solidaire")
    await page.click("#formulaire-prescrire_action button[type=submit]")
    await expect(page.locator("#dossier")).to_contain_text("Auto-école solidaire")
