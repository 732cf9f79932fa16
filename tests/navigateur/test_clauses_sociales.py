"""Social clauses in a real browser: a chargé de relation entreprise of the Chablais records a
contract from the menu, places a person of the pool who consented, enters her hours and reads
the contract's report. axe-core finds no serious violation on these pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.async_api import Page, expect

from tests.administration.outils import un_siret
from tests.fixtures.plateforme import Plateforme
from tests.navigateur.axe_core import Releve
from tests.navigateur.conftest import se_connecter
from tests.navigateur.employeurs import (
    charge_entreprise_du_chablais,
    personne_du_vivier,
)

pytestmark = pytest.mark.browser


async def test_un_marche_une_personne_placee_et_le_bilan(
    page_sans_csp: Page, plateforme: Plateforme
) -> None:
    page = page_sans_csp
    releve = Releve(page)
    verifier = releve.verifier

    pid, nom = await personne_du_vivier(plateforme, ["F1703"])
    siret, titulaire = un_siret(), f"Maçonnerie du Léman {nom}"
    async with plateforme.client("admin") as admin:
        entreprise = {"siret": siret, "nom": titulaire, "code_postal": "74200"}
        r = await admin.post(
            "/api/v1/entreprises", json=entreprise | {"commune": "Thonon-les-Bains"}
        )
        assert r.status_code == 201, r.text
    email_cre = await charge_entreprise_du_chablais(plateforme)
    intitule = f"Groupe scolaire de Vongy {nom}"

    await se_connecter(page, plateforme, email_cre)
    await page.get_by_role("link", name="Clauses sociales").first.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Clauses sociales des marchés publics"
    )
    await verifier("marchés")
    await page.get_by_role("link", name="Nouveau marché").click()
    await verifier("nouveau marché")
    await page.get_by_label("Objet du marché").fill(intitule)
    await page.get_by_label("Acheteur public").fill("Ville de Thonon-les-Bains")
    await page.get_by_label("Entreprise titulaire").select_option(siret)
    await page.get_by_label("Code postal du lieu d'exécution").fill("74200")
    await page.get_by_label("Commune du lieu d'exécution").fill("Thonon-les-Bains")
    await page.get_by_label("Heures d'insertion exigées").fill("350")
    await page.get_by_label("Début du marché").fill((date.today() - timedelta(days=30)).isoformat())
    await page.get_by_label("Fin du marché").fill((date.today() + timedelta(days=200)).isoformat())
    await page.get_by_role("button", name="Enregistrer le marché").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(intitule)
    await expect(page.locator("#bilan-realisees")).to_have_text("0 h")
    await verifier("un marché")

    await page.get_by_label("Personne du vivier").select_option(pid)
    await page.get_by_label("Début du placement").fill(date.today().isoformat())
    await page.get_by_role("button", name="Placer").click()
    await expect(page.locator(f"#placement-{pid}")).to_contain_text(nom)
    await verifier("un marché (personne placée)")

    await page.get_by_label(f"Heures réalisées par Inès {nom}").fill("35,5")
    await page.get_by_role(
        "button", name=f"Enregistrer les heures réalisées par Inès {nom}"
    ).click()
    await expect(page.locator("#bilan-realisees")).to_have_text("35,5 h")
    await expect(page.locator("#bilan-restantes")).to_have_text("314,5 h")
    await expect(page.locator("#bilan-part")).to_have_text("10,1 %")
    await expect(page.locator("#bilan-personnes")).to_have_text("1")
    await verifier("un marché (heures saisies)")

    await page.get_by_role("link", name="Clauses sociales").first.click()
    await expect(page.locator("#marches")).to_contain_text("35,5 h / 350 h")
    releve.rien()
