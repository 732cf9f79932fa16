"""The observatoire in Chromium (issue 22, item 7): each indicator's definition is in words,
without the timeline's codes (« alerte_close », « orientation_decidee ») or file paths, and a
chart with nothing to draw says so in words instead of drawing empty axes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect

from tests.cockpit.conftest import CLAIRE, ouvrir, stable
from tests.fixtures.plateforme import Plateforme
from tests.navigateur.axe_core import TELEPHONE, contexte_sans_csp, violations_graves
from tests.navigateur.conftest import se_connecter

pytestmark = pytest.mark.browser
COORDINATION = "anne.lefevre@spie74.fr"
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b|rules/|\.yaml\b")
VIDE = ("Aucune donnée à représenter", "laisserait deviner des effectifs")
GRAPHIQUES = "bar-chart, line-chart, pie-chart, bar-line-chart, scatter-chart, radar-chart"

# Per indicator (and per trend chart): its definition, the data of the chart drawn if any,
# and what the page says in its place.
LIRE = f"""() => [...document.querySelectorAll('article[id], #tendance .fr-col-lg-6')].map(b => {{
    const g = b.querySelector('{GRAPHIQUES}');
    return {{
        id: b.id || b.querySelector('h3')?.innerText,
        definition: b.id ? b.querySelector('p').innerText : '',
        y: g ? JSON.parse(g.getAttribute('y')).flat() : null,
        message: [...b.querySelectorAll('p')].filter(p => p.checkVisibility())
                     .map(p => p.innerText).join(' '),
    }};
}})"""


async def _blocs(page: Page, adresse: str) -> list[dict[str, Any]]:
    await page.goto(adresse)
    await expect(page.locator("article[id]").first).to_be_visible()
    blocs: list[dict[str, Any]] = await page.evaluate(LIRE)
    return blocs


def _sans_axes_vides(blocs: list[dict[str, Any]]) -> list[str]:
    """The indicators whose chart has nothing to draw and that do not say so."""
    return [
        b["id"]
        for b in blocs
        if (b["y"] is None and not any(v in b["message"] for v in VIDE))
        or (b["y"] is not None and not any(b["y"]))
    ]


async def test_definitions_en_mots_et_graphiques_sans_donnees_annonces(
    page: Page, plateforme: Plateforme
) -> None:
    async with plateforme.client(CLAIRE) as claire:
        # Five in one territory: a chart is drawn (fewer are masked, and so is the chart).
        for pid in [await ouvrir(claire) for _ in range(5)]:
            await stable(claire, pid)
    await se_connecter(page, plateforme, COORDINATION)
    blocs = await _blocs(page, f"{plateforme.base_url}/observatoire")
    codes = {b["id"]: CODE.findall(b["definition"]) for b in blocs if CODE.search(b["definition"])}
    assert not codes, f"codes bruts dans les définitions : {codes}"
    assert any(b["y"] for b in blocs), "aucun graphique dessiné"
    assert _sans_axes_vides(blocs) == []
    # A cohort with nobody in it: every indicator's chart has nothing to draw.
    vides = await _blocs(page, f"{plateforme.base_url}/observatoire?cohorte=2001-01")
    assert _sans_axes_vides(vides) == []
    await expect(
        page.get_by_text("Aucune donnée à représenter pour ces filtres.").first
    ).to_be_visible()


async def test_au_telephone_les_tableaux_qui_defilent_se_parcourent_au_clavier(
    chromium: Browser, plateforme: Plateforme
) -> None:
    """Item 11: on a 390 px screen a table wider than the page scrolls in its own box; that
    box is reached with Tab (named after its caption) and scrolls with the arrow keys, and axe
    finds nothing serious on the page."""
    ctx = await contexte_sans_csp(chromium, TELEPHONE)
    try:
        page = await ctx.new_page()
        await se_connecter(page, plateforme, COORDINATION)
        await page.goto(f"{plateforme.base_url}/observatoire")
        await expect(page.locator("article[id]").first).to_be_visible()
        boites = page.locator(".fr-table__container[tabindex='0']")
        await expect(boites.first).to_be_attached()
        debordent = await page.evaluate(
            """() => [...document.querySelectorAll('.fr-table__container')]
                  .filter(b => b.scrollWidth > b.clientWidth + 1)
                  .map(b => b.getAttribute('tabindex') === '0' && b.getAttribute('role') === 'region')"""
        )
        assert debordent, "aucun tableau ne défile à 390 px"
        assert all(debordent), debordent  # every scrolling box is reachable
        boite = boites.first
        await boite.scroll_into_view_if_needed()
        for _ in range(200):  # Tab from the top of the page until the first scrolling box
            if await boite.evaluate("b => b === document.activeElement"):
                break
            await page.keyboard.press("Tab")
        await expect(boite).to_be_focused()
        assert "(défilement horizontal)" in (await boite.get_attribute("aria-label") or "")
        await page.keyboard.press("ArrowRight")
        await page.wait_for_function("() => document.activeElement.scrollLeft > 0")
        assert await violations_graves(page) == []
    finally:
        await ctx.close()
