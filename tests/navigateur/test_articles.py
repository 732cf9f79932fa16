"""Issue 22, item 1, where a person reads it: the labels the code puts an article before
(« Fin de la rupture », « réservé à un coordinateur… ») read as French on the pages. The labels
themselves are all checked in tests/cockpit/test_articles.py."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest
from playwright.async_api import Page, expect

from tests.api import donnees
from tests.cockpit.conftest import CLAIRE, commande, ouvrir, stable
from tests.cockpit.test_articles import FAUTES
from tests.fixtures.plateforme import Plateforme
from tests.navigateur.conftest import se_connecter

pytestmark = pytest.mark.browser
EMAIL = "claire.martin@hautesavoie.fr"


async def test_fin_de_la_rupture_et_refus_reserve_en_francais(
    page: Page, plateforme: Plateforme
) -> None:
    # A diagnostic overdue (accueil 20 days ago) is a rupture; the diagnostic ends it.
    async with plateforme.client(CLAIRE) as api:
        pid = await ouvrir(api, date.today() - timedelta(days=20))
        await stable(api, pid)
        diagnostic = donnees.diagnostic(date.today(), ("mobilite",))
        await commande(api, pid, "enregistrer_diagnostic", diagnostic)
        limite = asyncio.get_running_loop().time() + 30
        while "alerte_close" not in [
            e["code"] for e in (await api.get(f"/api/v1/parcours/{pid}")).json()["etat"]["timeline"]
        ]:
            assert asyncio.get_running_loop().time() < limite, "la rupture ne se ferme pas"
            await asyncio.sleep(0.3)
    await se_connecter(page, plateforme, EMAIL)
    await page.goto(f"{plateforme.base_url}/parcours/{pid}")
    fin = page.locator("#timeline li", has_text="Fin de la rupture")
    await expect(fin.first).to_be_visible()
    assert not FAUTES.search(await fin.first.inner_text())

    # A command reserved to the coordination, asked by its address: the refusal says who.
    reponse = await page.goto(f"{plateforme.base_url}/parcours/{pid}/commandes/relancer_referent")
    assert reponse is not None
    assert reponse.status == 403
    message = page.get_by_role("alert").filter(has_text="réservé")
    await expect(message).to_contain_text(
        "réservé à un coordinateur du territoire ou à un administrateur"
    )
    assert not FAUTES.search(await message.inner_text())
