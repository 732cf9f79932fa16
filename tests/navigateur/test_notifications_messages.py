"""In a real browser: the header's count shows a new notification without reloading, its
« Ouvrir » leads to the parcours and the count goes down; the référent writes an SMS from a
template, sees its preview and count, sends it, and the SMS gateway receives it."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Page, expect

from tests.cockpit.conftest import CLAIRE, ouvrir, stable
from tests.cockpit.test_notifications import attendre, transfert_a_claire
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from tests.navigateur.conftest import DELAI_MS, htmx_au_repos, se_connecter

pytestmark = pytest.mark.browser
EMAIL = "claire.martin@hautesavoie.fr"
# In the header (DSFR copies its links into the mobile menu, hidden at this width).
COMPTEUR = "#centre-notifications .compteur-notifications"
LIEN = "#centre-notifications a"


@pytest_asyncio.fixture
async def api(plateforme: Plateforme) -> AsyncIterator[httpx.AsyncClient]:
    async with plateforme.client(CLAIRE) as client:
        yield client


async def _compteur(page: Page) -> int:
    badge = page.locator(COMPTEUR)
    if await badge.count() == 0:
        return 0
    trouve = re.match(r"\d+", (await badge.inner_text()).strip())
    assert trouve is not None
    return int(trouve.group(0))


async def test_compteur_vivant_ouvrir_et_lue(page: Page, plateforme: Plateforme) -> None:
    await transfert_a_claire(plateforme)  # at least one unread
    await se_connecter(page, plateforme, EMAIL)
    await expect(page.locator(COMPTEUR)).to_be_visible()
    avant = await _compteur(page)

    # A new one while the page is open: the count renews itself, no reload.
    pid, n = await transfert_a_claire(plateforme)

    async def plus_un() -> bool:
        return await _compteur(page) == avant + 1

    await attendre(plus_un, "le compteur de l'en-tête compte la nouvelle", DELAI_MS / 1000)

    await page.click(LIEN)
    await expect(page.get_by_role("heading", name="Notifications", exact=True)).to_be_visible()
    carte = page.locator(f"#notification-{n.id}")
    await expect(carte).to_contain_text("Transfert à accuser")
    await expect(carte).to_contain_text("Non lue")
    await carte.get_by_role("button", name="Ouvrir").click()
    await page.wait_for_url(f"{plateforme.base_url}/parcours/{pid}")
    await expect(page.locator(COMPTEUR)).to_have_text(re.compile(rf"^{avant}\b"))

    await page.click(LIEN)
    await expect(page.locator(f"#notification-{n.id}")).not_to_contain_text("Non lue")


async def test_sms_libre_apercu_compte_et_simulateur(
    page: Page, plateforme: Plateforme, api: httpx.AsyncClient, simulateur: Simulateur
) -> None:
    telephone = f"06 {secrets.randbelow(100):02d} {secrets.randbelow(100):02d} 98 76"
    pid = await ouvrir(api, prenom="Zoé", telephone=telephone)
    await stable(api, pid)

    await se_connecter(page, plateforme, EMAIL)
    await page.goto(f"{plateforme.base_url}/parcours/{pid}")
    await page.click('button[data-commande="envoyer_message"]')
    formulaire = page.locator("#formulaire-envoyer_message")
    await expect(formulaire).to_be_visible()
    await htmx_au_repos(page)

    # A template fills the text, and the preview fills its fields from the dossier.
    await page.select_option("#champ-modele", "nouvelles")
    await expect(page.locator("#champ-texte")).to_have_value(re.compile("^Bonjour {prenom}"))
    await expect(page.locator("#apercu-texte")).to_contain_text("Bonjour Zoé, je n'ai pas eu")
    await htmx_au_repos(page)

    # Written by hand: the preview and the count follow the typing.
    await page.fill("#champ-texte", "Bonjour {prenom}, rappelez-moi demain.")
    await expect(page.locator("#apercu-texte")).to_have_text("Bonjour Zoé, rappelez-moi demain.")
    await expect(page.locator("#compte-sms")).to_have_text(
        "33 caractères — 1 SMS (GSM-7 : 160 caractères par SMS)"
    )
    await page.fill("#champ-texte", "Bonjour {prenom}, à bientôt.")
    await expect(page.locator("#compte-sms")).to_contain_text("UCS-2 : 70 caractères par SMS")
    await expect(page.locator("#hors-alphabet")).to_contain_text("« ô »")

    await formulaire.get_by_role("button", name="Envoyer").click()
    await expect(page.locator("#formulaire")).to_contain_text("c'est enregistré")
    await expect(page.locator("#timeline")).to_contain_text(
        "SMS envoyé à la personne : « Bonjour Zoé, à bientôt. »"
    )

    async def recu() -> list[dict[str, Any]]:
        return await simulateur.sms(telephone=telephone)

    sms = await attendre(recu, "SMS à la passerelle du simulateur", 30)
    assert [s["texte"] for s in sms] == ["Bonjour Zoé, à bientôt."]
