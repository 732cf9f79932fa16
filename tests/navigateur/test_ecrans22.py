"""Issue 22 in Chromium, what was left after the first pass: « 1er » in the texts the
workflows wrote (item 19), « Envoi en cours… » while a command is sent (item 11) and
« Tout relancer » answered where the coordinator is looking (item 5)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, Route, expect

from core.formats import mois_annee
from tests.cockpit.conftest import CLAIRE, COORD, commande, contractualiser, ouvrir, stable
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from tests.navigateur.conftest import DELAI_MS, htmx_au_repos, se_connecter
from tests.navigateur.incidents import incident_france_travail

pytestmark = pytest.mark.browser
EMAIL = "claire.martin@hautesavoie.fr"
COORDINATION = "anne.lefevre@spie74.fr"


def _premier_du_mois_suivant(jour: date, mois: int = 1) -> date:
    rang = jour.month - 1 + mois
    return date(jour.year + rang // 12, rang % 12 + 1, 1)


async def test_le_fil_du_parcours_dit_1er(page: Page, plateforme: Plateforme) -> None:
    """Item 19: the workflow writes « du 1 janvier 2027 » (kept as is in its history); the
    parcours page and the carnet read « du 1er janvier 2027 »."""
    today = date.today()
    debut, fin = _premier_du_mois_suivant(today), _premier_du_mois_suivant(today, 7)
    async with plateforme.client(CLAIRE) as api:
        pid = await contractualiser(api, debut, fin)
    await se_connecter(page, plateforme, EMAIL)
    await page.goto(f"{plateforme.base_url}/parcours/{pid}")
    redige = page.locator("#timeline li", has_text="rédigé")
    await expect(redige).to_contain_text(f"du 1er {mois_annee(debut)} au 1er {mois_annee(fin)}")
    await expect(page.locator("#timeline")).not_to_contain_text(f"1 {mois_annee(debut)}")


async def test_envoi_en_cours_pendant_l_envoi_d_une_commande(
    page: Page, plateforme: Plateforme
) -> None:
    """Item 11: while the command is on its way, « Envoi en cours… » shows beside the button;
    the answer is held back by the test until the message has been seen (no timing)."""
    async with plateforme.client(CLAIRE) as api:
        pid = await ouvrir(api)
        await stable(api, pid)
    await se_connecter(page, plateforme, EMAIL)
    await page.goto(f"{plateforme.base_url}/parcours/{pid}")
    await page.click('#commandes button[data-commande="enregistrer_contact"]')
    formulaire = page.locator("#formulaire-enregistrer_contact")
    await expect(formulaire).to_be_visible()
    await htmx_au_repos(page)
    indicateur = formulaire.get_by_text("Envoi en cours…")
    await expect(indicateur).to_be_hidden()

    retenues: list[Route] = []
    await page.route(
        f"**/parcours/{pid}/commandes/enregistrer_contact", lambda route: retenues.append(route)
    )
    await formulaire.get_by_role("button", name="Enregistrer").click()
    await expect(indicateur).to_be_visible()
    assert len(retenues) == 1
    await retenues[0].continue_()
    await expect(indicateur).to_be_hidden()


@pytest_asyncio.fixture
async def ecran_bas(chromium: Browser) -> AsyncIterator[Page]:
    """A laptop window of 600 px: a list of incidents taller than the screen."""
    ctx = await chromium.new_context(viewport={"width": 1280, "height": 600}, locale="fr-FR")
    ctx.set_default_timeout(15_000)
    yield await ctx.new_page()
    await ctx.close()


async def test_tout_relancer_repond_sous_les_yeux(
    ecran_bas: Page, plateforme: Plateforme, simulateur: Simulateur
) -> None:
    """Item 5: the coordinator scrolled down to « Tout relancer pour France Travail » reads the
    answer without scrolling back up, also once the list has refreshed without the incident."""
    page = ecran_bas
    await simulateur.mode("france-travail", "panne")
    try:
        pid, nom, _ = await incident_france_travail(plateforme)
    finally:
        await simulateur.mode("france-travail", "normal")
    await se_connecter(page, plateforme, COORDINATION)
    await page.goto(f"{plateforme.base_url}/coordination")
    incidents = page.locator("#incidents")
    await expect(incidents).to_contain_text(nom, timeout=DELAI_MS)
    bouton = page.locator("#tout-relancer-france-travail")
    # The button at the top of the window: the section's heading is above, out of view.
    await bouton.evaluate("b => b.scrollIntoView({block: 'start'})")
    await expect(page.locator("#incidents-titre")).not_to_be_in_viewport()
    await bouton.click()
    annonce = incidents.locator("#annonce-incidents[aria-live=polite]")
    await expect(annonce).to_contain_text("France Travail : ")
    await expect(annonce).to_be_in_viewport()
    await expect(incidents).not_to_contain_text(nom, timeout=DELAI_MS)
    await expect(annonce).to_contain_text("France Travail : ")
    await expect(annonce).to_be_in_viewport()
    async with plateforme.client(COORD) as coord:
        await stable(coord, pid)


async def test_mes_parcours_dit_les_transferes_et_les_masque(
    page: Page, plateforme: Plateforme
) -> None:
    """Item 4: a parcours handed to another référent says « transféré à … » in « Mes parcours »,
    and « Masquer les parcours transférés » takes it out of the list."""
    async with plateforme.client(CLAIRE) as api:
        garde, transfere = await ouvrir(api), await ouvrir(api)
        motif = {"nouveau_referent_id": "ref-sophie-girard", "motif": "Départ en congé long"}
        await commande(api, transfere, "transferer_referent", motif)
        await stable(api, garde)
        await stable(api, transfere)
        noms = {}
        for pid in (garde, transfere):
            noms[pid] = (await api.get(f"/api/v1/parcours/{pid}")).json()["etat"]["usager"]["nom"]
    await se_connecter(page, plateforme, EMAIL)
    tableau = page.locator("#tableau")
    recherche = page.get_by_label("Nom, prénom ou référence")
    lignes = tableau.locator("tbody tr")

    async def chercher(pid: str) -> None:  # a unique name: a list of one
        await recherche.fill(noms[pid])
        await recherche.press("Enter")
        await expect(lignes).to_have_count(1)
        await htmx_au_repos(page, "#tableau")

    await chercher(transfere)
    await expect(lignes).to_contain_text("transféré à Sophie Girard")
    await page.get_by_text("Masquer les parcours transférés").click()
    await expect(tableau.locator(f'a[href="/parcours/{transfere}"]')).to_have_count(0)
    await chercher(garde)
    await expect(tableau.locator(f'a[href="/parcours/{garde}"]')).to_be_visible()
    await expect(lignes).not_to_contain_text("transféré")
    await expect(page.get_by_label("Masquer les parcours transférés")).to_be_checked()
