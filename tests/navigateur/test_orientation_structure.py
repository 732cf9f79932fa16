"""Ticket 20, item 2, in a real browser: a référent prescribes a service from the fiche; its
structure, with no account, opens the link of its e-mail and refuses with one of DORA's
reasons; the référent sees the refusal in the fiche and the vigie raises its reason."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.async_api import Browser, Page, expect

from tests.cockpit.conftest import CLAIRE, stable
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from tests.navigateur.conftest import DELAI_MS, se_connecter
from tests.orientation.outils import SERVICE, catalogue_avec_courriel, en_orientation, secret_recu

pytestmark = pytest.mark.browser
EMAIL = "claire.martin@hautesavoie.fr"
MOTIF = "Français à l'écrit avant la formation d'aide-soignante"


@pytest.fixture
def courriel_structure(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from catalogue_avec_courriel(monkeypatch)


async def test_la_structure_refuse_et_le_referent_le_voit(
    page: Page,
    chromium: Browser,
    plateforme: Plateforme,
    simulateur: Simulateur,
    courriel_structure: str,
) -> None:
    async with plateforme.client(CLAIRE) as api:
        pid = await en_orientation(api)
        await stable(api, pid)

    await se_connecter(page, plateforme, EMAIL)
    await page.goto(f"{plateforme.base_url}/parcours/{pid}")
    await page.locator("[data-commande=prescrire_action]").click()
    formulaire = page.locator("#formulaire")
    await formulaire.locator("[name=service_id]").select_option(SERVICE)
    await formulaire.locator("[name=motif]").fill(MOTIF)
    await formulaire.locator("button[type=submit]").click()
    dossier = page.locator("#dossier")
    await expect(dossier).to_contain_text(
        "Orientation : En attente de réponse de la structure", timeout=DELAI_MS
    )

    secret = await secret_recu(simulateur, courriel_structure)
    structure = await chromium.new_context(locale="fr-FR")  # no account, no cookie
    try:
        lien = await structure.new_page()
        await lien.goto(f"{plateforme.base_url}/orientation/{secret}")
        await expect(lien.get_by_role("heading", name="Demande d'orientation")).to_be_visible()
        await expect(lien.locator("main")).to_contain_text(MOTIF)
        await lien.get_by_text("Refuser l'orientation").click()  # DSFR: the label is the target
        await lien.get_by_text("Session complète").click()
        await lien.get_by_role("button", name="Envoyer ma réponse").click()
        await expect(lien.locator("main")).to_contain_text("Vous avez refusé cette orientation")
    finally:
        await structure.close()

    await page.reload()
    await expect(dossier).to_contain_text(
        "Orientation : Refusée par la structure, motifs : Session complète", timeout=DELAI_MS
    )
    await expect(page.locator("main")).to_contain_text(
        "Orientation refusée par la structure (Maison de l'emploi du Bassin annécien) : "
        "à réorienter"
    )
