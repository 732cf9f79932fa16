"""On a 390 × 844 phone (issue 22, item 12): the filters of the coordination and observatoire
pages can be used there. The page does not slide sideways, every filter lies within the
screen, is not covered by anything when scrolled to, and is big enough to touch; no select cuts
its chosen label; and choosing a filter gives the filtered result."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, expect

from tests.cockpit.conftest import CLAIRE, ouvrir, stable
from tests.fixtures.plateforme import Plateforme
from tests.navigateur.conftest import htmx_au_repos, se_connecter
from tests.navigateur.test_telephone import TRONQUES

pytestmark = pytest.mark.browser
ADMINISTRATION = "admin@spie74.fr"  # every filter: the territory's too
LARGEUR = 390
CIBLE_PX = 24  # WCAG 2.2, 2.5.8: the least target size

# Per visible control of the form: where it lies and how big it is.
CONTROLES = """(formulaire) => [...document.querySelector(formulaire)
        .querySelectorAll('select, input, button, a[href]')]
    .filter(e => e.checkVisibility())
    .map(e => {
        const r = e.getBoundingClientRect();
        const nom = e.labels?.[0]?.innerText.split('\\n')[0] || e.innerText || e.name;
        return {nom: nom.trim(), gauche: r.left, droite: r.right, largeur: r.width,
                hauteur: r.height, id: e.id};
    })"""

# Whether the control, scrolled to, is the element a finger touching its centre would reach.
ATTEIGNABLE = """(e) => {
    e.scrollIntoView({block: 'center'});
    const r = e.getBoundingClientRect();
    const dessus = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return dessus === e || e.contains(dessus) || (e.labels && [...e.labels].includes(dessus));
}"""


@pytest_asyncio.fixture
async def telephone(chromium: Browser) -> AsyncIterator[Page]:
    ctx = await chromium.new_context(
        viewport={"width": LARGEUR, "height": 844}, locale="fr-FR", is_mobile=True, has_touch=True
    )
    ctx.set_default_timeout(15_000)
    page = await ctx.new_page()
    erreurs: list[str] = []
    page.on("pageerror", lambda e: erreurs.append(str(e)))
    yield page
    await ctx.close()
    assert not erreurs, f"Erreurs JavaScript dans la page : {erreurs}"


async def _utilisables(page: Page, formulaire: str) -> None:
    largeur = int(await page.evaluate("document.documentElement.scrollWidth"))
    assert largeur <= LARGEUR, f"la page défile de côté : {largeur} px"
    controles = await page.evaluate(CONTROLES, formulaire)
    assert controles, "aucun filtre visible"
    dehors = [c for c in controles if c["gauche"] < 0 or c["droite"] > LARGEUR + 0.5]
    assert dehors == [], dehors
    petits = [c for c in controles if min(c["largeur"], c["hauteur"]) < CIBLE_PX]
    assert petits == [], petits
    for element in await page.locator(formulaire).locator("select, input, button, a[href]").all():
        if await element.is_visible():
            assert await element.evaluate(ATTEIGNABLE), await element.evaluate("e => e.outerHTML")
    tronques = await page.evaluate(TRONQUES)
    assert tronques == [], "\n".join(tronques)


async def test_filtres_de_la_coordination_au_telephone(
    telephone: Page, plateforme: Plateforme
) -> None:
    async with plateforme.client(CLAIRE) as claire:
        pid = await ouvrir(claire)  # at least one parcours at « Accueil »
        await stable(claire, pid)
        # and one in rupture: the coordination lists it with its buttons, whose text for screen
        # readers (absolute) widened the page when no other test had made one (1,077 px)
        en_rupture = await ouvrir(claire, date.today() - timedelta(days=30))
        await stable(claire, en_rupture)
    page = telephone
    await se_connecter(page, plateforme, ADMINISTRATION)
    await page.goto(plateforme.base_url + "/coordination")
    await expect(page.get_by_role("heading", name="Coordination", level=1)).to_be_visible()
    await _utilisables(page, "#filtres-coordination")

    await page.get_by_label("Phase", exact=True).select_option(label="Accueil")
    await page.wait_for_url("**/coordination?*phase=accueil*")
    await htmx_au_repos(page, "#coordination-contenu")
    await expect(page.get_by_label("Phase", exact=True)).to_have_value("accueil")
    phases = page.locator("#parcours tbody tr:has(a[href^='/parcours/']) td:nth-child(2)")
    await expect(phases.first).to_be_visible()
    # the cell says the phase, then since when
    assert {t.split("\n")[0] for t in await phases.all_inner_texts()} == {"Accueil"}
    await _utilisables(page, "#filtres-coordination")


async def test_filtres_de_l_observatoire_au_telephone(
    telephone: Page, plateforme: Plateforme
) -> None:
    page = telephone
    await se_connecter(page, plateforme, ADMINISTRATION)
    await page.goto(plateforme.base_url + "/observatoire")
    await expect(page.get_by_text("Tout le département").first).to_be_visible()
    formulaire = "form[aria-label='Filtres des indicateurs']"
    await _utilisables(page, formulaire)

    await page.get_by_label("Territoire", exact=True).select_option(label="Chablais")
    await page.get_by_role("button", name="Afficher les indicateurs").click()
    await page.wait_for_url("**/observatoire?*territoire=chablais*")
    await expect(page.locator("main .fr-text--lead")).to_contain_text("Chablais")
    await expect(page.get_by_label("Territoire", exact=True)).to_have_value("chablais")
    await _utilisables(page, formulaire)
