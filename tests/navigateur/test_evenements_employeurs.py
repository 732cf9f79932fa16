"""Job datings in a real browser: a chargé de relation entreprise of the Chablais creates one
(a commune outside Haute-Savoie is refused under its field), a référente of the Chablais
inscribes a person of the pool she accompanies from the event's page. axe-core finds no serious
violation on these pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.async_api import Page, expect

from tests.fixtures.plateforme import Plateforme
from tests.navigateur.axe_core import Releve
from tests.navigateur.conftest import se_connecter
from tests.navigateur.employeurs import (
    EMILIE_EMAIL,
    charge_entreprise_du_chablais,
    personne_du_vivier,
)

pytestmark = pytest.mark.browser


async def test_creer_un_job_dating_et_y_inscrire_une_personne(
    page_sans_csp: Page, plateforme: Plateforme
) -> None:
    page = page_sans_csp
    releve = Releve(page)
    verifier = releve.verifier

    pid, nom = await personne_du_vivier(plateforme, ["J1501"])
    email_cre = await charge_entreprise_du_chablais(plateforme)
    titre = f"Job dating du soin {nom}"

    await se_connecter(page, plateforme, email_cre)
    await page.get_by_role("link", name="Job datings").first.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Job datings et réunions d'information"
    )
    await verifier("événements")
    await page.get_by_role("link", name="Nouvel événement").click()
    await verifier("nouvel événement")
    await page.get_by_label("Titre").fill(titre)
    await page.get_by_label("Date").fill((date.today() + timedelta(days=10)).isoformat())
    await page.get_by_label("Code postal").fill("69001")
    await page.get_by_label("Commune", exact=False).fill("Lyon")
    await page.get_by_role("button", name="Créer l'événement").click()
    await expect(page.locator("#commune-erreur")).to_contain_text("Commune inconnue")
    await verifier("nouvel événement (refus)")
    await page.get_by_label("Code postal").fill("74200")
    await page.get_by_label("Commune", exact=False).fill("Thonon-les-Bains")
    await page.get_by_role("button", name="Créer l'événement").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(titre)
    adresse = page.url
    await verifier("un événement (chargé)")

    await page.context.clear_cookies()
    await se_connecter(page, plateforme, EMILIE_EMAIL)
    await page.goto(adresse)
    await expect(page.get_by_role("heading", level=1)).to_have_text(titre)
    await verifier("un événement (référente)")
    await page.get_by_label("Inscrire une personne du vivier").select_option(pid)
    await page.get_by_role("button", name="Inscrire").click()
    await expect(page.locator(f"#invite-{pid}")).to_contain_text(nom)
    await verifier("un événement (inscrite)")
    releve.rien()
