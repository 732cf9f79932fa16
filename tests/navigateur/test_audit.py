"""The administration's audit page in Chromium (issue 22, item 9): reached from the menu, it
searches the log by object and period and exports, as a CSV file, the very entries found."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from store.audit import ACTIONS_AUDIT, LIBELLES_ACTIONS
from tests.cockpit.conftest import CLAIRE, ouvrir, stable
from tests.fixtures.plateforme import Plateforme
from tests.navigateur.axe_core import violations_graves
from tests.navigateur.conftest import se_connecter

pytestmark = pytest.mark.browser
ADMINISTRATION = "admin@spie74.fr"


async def test_rechercher_puis_exporter_le_journal(page: Page, plateforme: Plateforme) -> None:
    async with plateforme.client(CLAIRE) as claire:
        pid = await ouvrir(claire)
        await stable(claire, pid)
        await claire.get(f"/api/v1/parcours/{pid}")  # a reading, audited
    objet = f"parcours:{pid}"
    await se_connecter(page, plateforme, ADMINISTRATION)
    await page.get_by_role("link", name="Journal d'audit").click()
    await expect(page.get_by_role("heading", name="Journal d'audit", level=1)).to_be_visible()
    await page.get_by_label("Objet").fill(objet)
    await page.get_by_label("Du", exact=True).fill(date.today().isoformat())
    await page.get_by_role("button", name="Rechercher").click()
    await page.wait_for_url(re.compile(r"objet=parcours%3A"))

    journal = page.locator("#journal-audit")
    objets = journal.locator("tbody tr td:nth-child(6)")
    await expect(objets.first).to_have_text(objet)
    vus = await objets.all_inner_texts()
    assert set(vus) == {objet}, vus
    comptes = await journal.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert "ref-claire-martin" in comptes
    trouvees = await page.get_by_role("status").filter(has_text="trouvée").inner_text()
    assert int(re.sub(r"\D", "", trouvees.split("entrée")[0])) == len(vus), trouvees

    async with page.expect_download() as telechargement:
        await page.get_by_role("link", name="Exporter ces entrées (CSV)").click()
    fichier = await (await telechargement.value).path()
    texte = await asyncio.to_thread(Path(fichier).read_text, encoding="utf-8-sig")
    entete, *lignes = list(csv.reader(io.StringIO(texte), delimiter=";"))
    numero, colonne = entete.index("N°"), entete.index("Objet")
    assert {ligne[colonne] for ligne in lignes} == {objet}
    numeros = await journal.locator("tbody tr td:nth-child(1)").all_inner_texts()
    assert sorted(int(ligne[numero]) for ligne in lignes) == sorted(int(n) for n in numeros)


async def test_le_filtre_action_propose_les_actions_declarees(
    page_sans_csp: Page, plateforme: Plateforme
) -> None:
    """The « Action » filter is a list of the declared actions (store/audit.py), not a text
    field where « lecture » or « Lecture » or « lectures » would silently find nothing; the
    table is in the DSFR 1.12+ markup (wrapper, container, content); axe-core finds nothing
    critical or serious on the page."""
    page = page_sans_csp
    async with plateforme.client(CLAIRE) as claire:
        pid = await ouvrir(claire)  # writings
        await stable(claire, pid)
        await claire.get(f"/api/v1/parcours/{pid}")  # a reading
    await se_connecter(page, plateforme, ADMINISTRATION)
    await page.goto(plateforme.base_url + "/administration/audit")
    action = page.get_by_label("Action", exact=True)
    offertes = await action.locator("option").all_inner_texts()
    assert offertes == ["Toutes les actions"] + [LIBELLES_ACTIONS[a] for a in ACTIONS_AUDIT]

    await page.get_by_label("Objet").fill(f"parcours:{pid}")
    await page.get_by_role("button", name="Rechercher").click()
    await page.wait_for_url(re.compile(r"objet=parcours%3A"))
    colonne = page.locator("#journal-audit tbody tr td:nth-child(5)")
    await expect(colonne.first).to_be_visible()
    assert {"Lecture", "Écriture"} <= set(await colonne.all_inner_texts())

    await page.get_by_label("Action", exact=True).select_option(label="Lecture")
    await page.get_by_role("button", name="Rechercher").click()
    await page.wait_for_url(re.compile(r"action=lecture"))
    await expect(page.get_by_label("Action", exact=True)).to_have_value("lecture")
    await expect(colonne.first).to_have_text("Lecture")
    assert set(await colonne.all_inner_texts()) == {"Lecture"}

    tableau = page.locator(
        "#tableau-audit.fr-table > .fr-table__wrapper > .fr-table__container"
        " > .fr-table__content > table#journal-audit"
    )
    await expect(tableau).to_have_count(1)
    await page.wait_for_function("document.documentElement.hasAttribute('data-fr-js')")
    assert await violations_graves(page) == []
