"""Social clauses in a real browser: a chargé de relation entreprise of the Chablais records a
contract from the menu, places a person of the pool who consented, enters her hours and reads
the contract's report; a contract's hours changed from its page, and a placement made by
mistake by a référente taken away. axe-core finds no serious violation on these pages."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.async_api import Page, expect

from tests.administration.outils import un_siret
from tests.fixtures.plateforme import Plateforme
from tests.navigateur.axe_core import Releve
from tests.navigateur.conftest import se_connecter
from tests.navigateur.employeurs import (
    EMILIE_EMAIL,
    charge_entreprise_du_chablais,
    personne_de_thonon,
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


async def _entreprise_de_thonon(plateforme: Plateforme) -> tuple[str, str]:
    siret, nom = un_siret(), "Bâtiments du Chablais"
    async with plateforme.client("admin") as admin:
        r = await admin.post(
            "/api/v1/entreprises",
            json={
                "siret": siret,
                "nom": nom,
                "code_postal": "74200",
                "commune": "Thonon-les-Bains",
            },
        )
        assert r.status_code == 201, r.text
    return siret, nom


async def test_un_marche_modifie_et_un_placement_retire(
    page_sans_csp: Page, plateforme: Plateforme
) -> None:
    page, base = page_sans_csp, plateforme.base_url
    releve = Releve(page)
    siret, _ = await _entreprise_de_thonon(plateforme)
    pid, nom = await personne_de_thonon(plateforme)
    email_cre = await charge_entreprise_du_chablais(plateforme)
    intitule = f"Groupe scolaire de Thonon {nom}"
    aujourd_hui = date.today()

    # The chargé records the contract.
    await se_connecter(page, plateforme, email_cre)
    await page.goto(f"{base}/clauses-sociales/nouveau")
    await releve.verifier("nouveau marché")
    await page.locator("#intitule").fill(intitule)
    await page.locator("#acheteur").fill("Commune de Thonon-les-Bains")
    await page.locator("#siret").select_option(siret)
    await page.locator("#code_postal").fill("74200")
    await page.locator("#commune").fill("Thonon-les-Bains")
    await page.locator("#heures_exigees").fill("200")
    await page.locator("#debut").fill((aujourd_hui - timedelta(days=30)).isoformat())
    await page.locator("#fin").fill((aujourd_hui + timedelta(days=300)).isoformat())
    await page.get_by_role("button", name="Enregistrer le marché").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(intitule)
    await expect(page.locator("main")).to_contain_text("200 h")
    await releve.verifier("fiche du marché")
    fiche = page.url

    # … and changes its hours from its page.
    await page.get_by_role("link", name="Modifier le marché").click()
    await expect(page.locator("#heures_exigees")).to_have_value("200")
    await releve.verifier("modifier le marché")
    await page.locator("#heures_exigees").fill("350")
    await page.get_by_role("button", name="Enregistrer les modifications").click()
    await page.wait_for_url(fiche)
    await expect(page.locator("main")).to_contain_text("350 h")
    await expect(page.locator("main")).not_to_contain_text("200 h")

    # The référente places a person she accompanies (not in the pool), by mistake …
    await page.context.clear_cookies()
    await se_connecter(page, plateforme, EMILIE_EMAIL)
    await page.goto(fiche)
    await page.locator("#parcours_id").select_option(pid)
    await page.locator("#debut").fill(aujourd_hui.isoformat())
    await page.get_by_role("button", name="Placer").click()
    placee = page.locator("main tbody tr", has_text=nom)
    await expect(placee).to_have_count(1)
    await releve.verifier("marché, une personne placée")

    # … and takes the placement away: the report counts nobody again.
    await placee.get_by_role("button", name=re.compile("^Retirer")).click()
    await expect(page.locator("main tbody tr", has_text=nom)).to_have_count(0)
    await releve.verifier("marché, placement retiré")
    releve.rien()
