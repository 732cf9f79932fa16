"""The coordination page in Chromium: every count shown beside a link (a group of ruptures, a
cell of the map) equals the rows of the list the link opens, over all its pages (issue 22,
item 2); a column header of the map says what its cells add up to (item 3: « Sortie » said
15 parcours over cells of 0)."""

from __future__ import annotations

import asyncio
import re
from datetime import date, timedelta

import pytest
import pytest_asyncio
from playwright.async_api import Page, expect

from tests.api import donnees
from tests.cockpit.conftest import CLAIRE, commande, ouvrir, stable
from tests.fixtures.plateforme import Plateforme
from tests.navigateur.conftest import htmx_au_repos, se_connecter
from web.cockpit.coordination import PAR_PAGE

pytestmark = pytest.mark.browser
COORDINATION = "anne.lefevre@spie74.fr"  # coordinator of Claire's territory
NOMBRE = re.compile(r"(\d+)")


@pytest_asyncio.fixture
async def situations(plateforme: Plateforme) -> None:
    """One rule, two labels (a diagnostic overdue, an orientation overdue): the group counted
    parcours of the label, the link listed every parcours of the rule. And a closed parcours,
    which the « Sortie » header counted while its cells showed 0."""
    today = date.today()
    async with plateforme.client(CLAIRE) as claire:
        diagnostic_en_retard = await ouvrir(claire, today - timedelta(days=20))
        orientation_en_retard = await ouvrir(claire, today - timedelta(days=70))
        diagnostic = donnees.diagnostic(today - timedelta(days=60))
        await commande(claire, orientation_en_retard, "enregistrer_diagnostic", diagnostic)
        clos = await ouvrir(claire)
        sortie = {"le": today.isoformat(), "motif": "demenagement"}
        await commande(claire, clos, "prononcer_sortie", sortie)
        for pid in (diagnostic_en_retard, orientation_en_retard, clos):
            await stable(claire, pid)


async def _lignes_de_la_liste(page: Page) -> tuple[int, int]:
    """The count in the list's title, and its rows counted on its first and last pages."""
    liste = page.locator("#parcours")
    titre = await liste.locator("#parcours-titre").inner_text()
    annonce = int(re.findall(r"\((\d+)\)", titre)[-1])
    lignes = liste.locator("tbody tr:has(a[href^='/parcours/'])")
    sur_la_premiere = await lignes.count()
    derniere = liste.locator(".fr-pagination__link[title^='Page']").last
    if await derniere.count() == 0:
        return annonce, sur_la_premiere
    numero = int(await derniere.inner_text())
    await derniere.click()
    await page.wait_for_url(re.compile(rf"page={numero}"))
    await expect(liste.locator(".fr-pagination__link[aria-current=page]")).to_have_text(str(numero))
    return annonce, PAR_PAGE * (numero - 1) + await page.locator("#parcours").locator(
        "tbody tr:has(a[href^='/parcours/'])"
    ).count()


async def _ouvre_autant_que_son_compte(page: Page, base: str, lien: str, compte: str) -> str:
    """Opens the coordination page afresh, reads the count beside the link (the last number
    of ``compte``), follows the link ``lien`` and counts the list. Counts may move while other
    parcours settle: a difference must last (bounded wait), a passing one is read again."""
    limite = asyncio.get_running_loop().time() + 30
    while True:
        await page.goto(f"{base}/coordination")
        attendu = int(NOMBRE.findall(await page.locator(compte).inner_text())[-1])
        libelle = (await page.locator(lien).inner_text()).strip()
        await page.locator(lien).click()
        await page.wait_for_url(re.compile(r"/coordination\?"))
        await htmx_au_repos(page, "#coordination-contenu")
        annonce, lignes = await _lignes_de_la_liste(page)
        if attendu == annonce == lignes:
            return libelle
        message = (
            f"« {libelle} » : {attendu} affichés, la liste en annonce {annonce}, {lignes} lignes"
        )
        if asyncio.get_running_loop().time() > limite:
            raise AssertionError(message)
        await asyncio.sleep(1)


async def test_chaque_groupe_de_ruptures_ouvre_autant_de_parcours_qu_il_en_compte(
    page: Page, plateforme: Plateforme, situations: None
) -> None:
    await se_connecter(page, plateforme, COORDINATION)
    base = plateforme.base_url
    await page.goto(f"{base}/coordination")
    groupes = page.locator("#ruptures .groupe-motif")
    await expect(groupes.first).to_be_visible()
    for i in range(await groupes.count()):
        groupe = f"#ruptures .groupe-motif >> nth={i}"
        await _ouvre_autant_que_son_compte(
            page, base, f"{groupe} >> a.lien-motif", f"{groupe} >> h3"
        )


async def test_chaque_case_de_la_carte_ouvre_autant_de_parcours_qu_elle_en_compte(
    page: Page, plateforme: Plateforme, situations: None
) -> None:
    await se_connecter(page, plateforme, COORDINATION)
    base = plateforme.base_url
    await page.goto(f"{base}/coordination")
    liens = page.locator("#carte tbody td a")
    await expect(liens.first).to_be_visible()
    cases = await page.locator("#carte tbody").evaluate(
        """b => [...b.querySelectorAll('tr')].flatMap((tr, l) =>
              [...tr.querySelectorAll('td')].map((td, c) => td.querySelector('a') ? [l, c] : null)
           ).filter(x => x)"""
    )
    for ligne, colonne in cases:
        case = f"#carte tbody tr >> nth={ligne} >> td >> nth={colonne}"
        await _ouvre_autant_que_son_compte(page, base, f"{case} >> a", f"{case} >> .carte-nombre")


async def test_chaque_entete_de_la_carte_additionne_ses_cases(
    page: Page, plateforme: Plateforme, situations: None
) -> None:
    """« Sortie » included: the closed parcours are in the footnote, not in a header whose
    cells all say 0."""
    await se_connecter(page, plateforme, COORDINATION)
    await page.goto(f"{plateforme.base_url}/coordination")
    carte = page.locator("#carte")
    await expect(carte.locator("thead th")).to_have_count(7)
    colonnes = await carte.evaluate(
        """c => [...c.querySelectorAll('thead th')].map((th, i) => ({
              entete: th.innerText.replace(/\\s+/g, ' ').trim(),
              total: Number(th.querySelector('span').innerText.match(/\\d+/)[0]),
              cases: [...c.querySelectorAll('tbody tr')].map(tr =>
                  Number(tr.querySelectorAll('td')[i].querySelector('.carte-nombre').innerText))
           }))"""
    )
    for colonne in colonnes:
        assert colonne["total"] == sum(colonne["cases"]), colonne
    sortie = next(c for c in colonnes if "Sortie" in c["entete"])
    await expect(carte.locator(".parcours-maj")).to_contain_text("parcours clos (phase Sortie)")
    pied = await carte.locator(".parcours-maj").inner_text()
    assert int(NOMBRE.findall(pied)[0]) >= 1, pied  # the closed parcours of the fixture
    assert sortie["total"] == sum(sortie["cases"]), sortie
