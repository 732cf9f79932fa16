"""Issue 22 in Chromium, what was left after the first pass: « 1er » in the texts the
workflows wrote (item 19), « Envoi en cours… » while a command is sent (item 11) and
« Tout relancer » answered where the coordinator is looking (item 5)."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.async_api import Page, Route, expect

from core.formats import mois_annee
from tests.api import donnees
from tests.cockpit.conftest import CLAIRE, commande, ouvrir, stable
from tests.fixtures.plateforme import Plateforme
from tests.navigateur.conftest import htmx_au_repos, se_connecter

pytestmark = pytest.mark.browser
EMAIL = "claire.martin@hautesavoie.fr"


def _premier_du_mois_suivant(jour: date, mois: int = 1) -> date:
    rang = jour.month - 1 + mois
    return date(jour.year + rang // 12, rang % 12 + 1, 1)


async def test_le_fil_du_parcours_dit_1er(page: Page, plateforme: Plateforme) -> None:
    """Item 19: the workflow writes « du 1 janvier 2027 » (kept as is in its history); the
    parcours page and the carnet read « du 1er janvier 2027 »."""
    today = date.today()
    debut, fin = _premier_du_mois_suivant(today), _premier_du_mois_suivant(today, 7)
    async with plateforme.client(CLAIRE) as api:
        pid = await ouvrir(api)
        await commande(api, pid, "enregistrer_diagnostic", donnees.diagnostic(today))
        decision = {
            "decidee_le": today.isoformat(),
            "type": "sociale",
            "organisme": "conseil_departemental",
            "referent_id": CLAIRE,
            "motif_ecart": "Suivi social déjà engagé au pôle médico-social",
        }
        await commande(api, pid, "decider_orientation", decision)
        contrat = donnees.contrat(debut) | {"type": "cer", "date_fin": fin.isoformat()}
        await commande(api, pid, "rediger_contrat", contrat)
        await stable(api, pid)
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
