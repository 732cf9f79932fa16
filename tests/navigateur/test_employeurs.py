"""Issue 24 in a real browser: a référente of the Chablais puts a person of Thonon in the pool
with her consent; a chargé de relation entreprise of the Chablais adds a company from its SIRET
(the national directory, answering as recorded, gives its name), grants its label, enters an
inclusive offer for « aide-soignant » in Thonon; the matching lists the person with the reasons
in words; « Proposer » sends the offer to her référente, who records « entretien », then
« embauchée » with the contract's dates; the parcours enters suivi dans l'emploi. axe-core finds
no serious violation on any of these pages."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date, timedelta

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Page, expect

from employeurs.recherche_entreprises import Etablissement, chercher
from tests.administration.outils import un_siret
from tests.employeurs.reponses import DOSSIER
from tests.fixtures.plateforme import Plateforme
from tests.navigateur.axe_core import Releve
from tests.navigateur.conftest import htmx_au_repos, se_connecter
from tests.navigateur.employeurs import (
    EMILIE_EMAIL,
    charge_entreprise_du_chablais,
    personne_de_thonon,
)
from web.api import employeurs as api_employeurs

pytestmark = pytest.mark.browser
ENREGISTREE = "41852963200022"  # the recorded answer: a nursing home of Thonon-les-Bains
NOM_ANNUAIRE = "LES BALCONS DU LEMAN"  # its sign (« enseigne »)


@pytest_asyncio.fixture
async def annuaire_enregistre(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[str]:
    """The national directory configured, answering in its recorded form for a SIRET of this
    test (the recorded establishment, its SIRET replaced: unique in the shared database)."""
    siret = un_siret()
    corps = json.loads(
        (DOSSIER / f"recherche_entreprises_{ENREGISTREE}.json")
        .read_text(encoding="utf-8")
        .replace(ENREGISTREE, siret)
    )

    def repondre(requete: httpx.Request) -> httpx.Response:
        trouve = requete.url.params.get("q") == siret
        return httpx.Response(200, json=corps if trouve else {"results": []})

    def configuree(_: object) -> object:
        async def rechercher(s: str) -> Etablissement | None:
            async with httpx.AsyncClient(transport=httpx.MockTransport(repondre)) as http:
                return await chercher(http, "https://recherche-entreprises.api.gouv.fr", s)

        return rechercher

    monkeypatch.setattr(api_employeurs, "recherche_configuree", configuree)
    yield siret


async def test_de_l_entreprise_a_l_embauche(
    page_sans_csp: Page, plateforme: Plateforme, annuaire_enregistre: str
) -> None:
    page, base, siret = page_sans_csp, plateforme.base_url, annuaire_enregistre
    releve = Releve(page)
    verifier = releve.verifier

    pid, nom = await personne_de_thonon(plateforme)
    email_cre = await charge_entreprise_du_chablais(plateforme)

    # The référente puts the person in the pool, with her consent.
    await se_connecter(page, plateforme, EMILIE_EMAIL)
    await page.goto(f"{base}/parcours/{pid}")
    await page.get_by_role("link", name="Vers l'emploi : vivier et offres proposées").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Vers l'emploi")
    await verifier("vers l'emploi (vide)")
    await page.get_by_label("La personne est prête à l'emploi").check(force=True)
    await page.get_by_label("Elle accepte d'être présentée", exact=False).check(force=True)
    await page.get_by_label("Projet principal").fill("J1501")
    await page.get_by_label("Permis B").check(force=True)
    await page.get_by_label("Le matin").check(force=True)
    await page.get_by_role("button", name="Enregistrer la fiche du vivier").click()
    await expect(page.locator("#etat-vivier")).to_have_text("Dans le vivier")

    # The chargé de relation entreprise: the company from its SIRET, its label, the offer.
    await page.context.clear_cookies()
    await se_connecter(page, plateforme, email_cre)
    await page.get_by_role("link", name="Entreprises").first.click()
    await expect(page.get_by_role("heading", name="Annuaire des entreprises")).to_be_visible()
    await verifier("annuaire")
    await page.get_by_role("link", name="Ajouter une entreprise").click()
    await verifier("ajouter une entreprise")
    await page.locator("#siret").fill("12345")
    await page.get_by_role("button", name="Ajouter à l'annuaire").click()
    await expect(page.locator("#siret-erreur")).to_contain_text("Numéro SIRET invalide")
    await verifier("ajouter une entreprise (refus)")
    await page.locator("#siret").fill(f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}")
    await page.get_by_role("button", name="Ajouter à l'annuaire").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(NOM_ANNUAIRE)
    await expect(page.locator("#identite")).to_contain_text("87.10A")
    await expect(page.locator("#identite")).to_contain_text("Chablais")
    await page.get_by_role("button", name="Accorder le label").click()
    await expect(page.locator("#etat-label")).to_contain_text("accordé par Jeanne Chablais")
    await verifier("fiche de l'entreprise")

    await page.get_by_role("link", name="Saisir une offre de cette entreprise").click()
    await verifier("saisir une offre")
    await page.get_by_label("Intitulé de l'offre").fill("Aide-soignant en EHPAD")
    await page.locator("#metier").fill("aide soignat")  # a typo, tolerated
    choix = page.get_by_label("Aide-soignant / Aide-soignante (J1501)")
    await expect(choix).to_be_visible()
    await htmx_au_repos(page, "#form-offre")
    await choix.check(force=True)
    await page.get_by_label("Code postal du lieu de travail").fill("74200")
    await page.get_by_label("Commune du lieu de travail").fill("Thonon-les-Bains")
    await page.get_by_label("Contrat").select_option("cdd")
    await page.get_by_label("Heures par semaine").fill("35")
    await page.get_by_label("Offre inclusive").check(force=True)
    await page.get_by_role("button", name="Enregistrer l'offre").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Aide-soignant en EHPAD")
    await verifier("une offre")

    # The matching: the person of Thonon, with the reasons; « Proposer ».
    await page.get_by_role("link", name="Personnes à qui la proposer").click()
    ligne = page.locator(f"#personne-{pid}")
    await expect(ligne).to_contain_text(nom)
    await expect(ligne).to_contain_text("projet J1501")
    await expect(ligne).to_contain_text("à 0 km, permis B")
    await expect(ligne).to_contain_text("disponible le matin")
    await verifier("rapprochement")
    await ligne.get_by_role("button", name="Proposer").click()
    await expect(page.locator(f"#personne-{pid}")).to_contain_text("À transmettre à la personne")
    await page.get_by_role("link", name="Offres d'emploi").first.click()
    await expect(page.locator("#offres")).to_contain_text("Aide-soignant en EHPAD")
    await verifier("offres")

    # The référente: « entretien », then « embauchée » with the contract's dates.
    await page.context.clear_cookies()
    await se_connecter(page, plateforme, EMILIE_EMAIL)
    await page.goto(f"{base}/parcours/{pid}/emploi")
    proposition = page.locator("#table-propositions tbody tr").first
    await expect(proposition).to_contain_text("Aide-soignant en EHPAD")
    await expect(proposition).to_contain_text("À transmettre à la personne")
    await expect(proposition).to_contain_text("projet J1501")
    await proposition.get_by_role("button", name="Entretien").click()
    proposition = page.locator("#table-propositions tbody tr").first
    await expect(proposition.locator(".statut-proposition")).to_have_text(
        "Entretien avec l'employeur"
    )
    await verifier("vers l'emploi (proposition)")
    fin = (date.today() + timedelta(days=180)).isoformat()
    a_venir = (date.today() + timedelta(days=7)).isoformat()  # whatever the hour, in Paris too
    await proposition.get_by_label("Début du contrat").fill(a_venir)
    await proposition.get_by_label("Fin du contrat").fill(fin)
    await proposition.get_by_role("button", name="Déclarer l'embauche").click()
    proposition = page.locator("#table-propositions tbody tr").first
    await expect(proposition.get_by_role("alert")).to_contain_text("dans le futur")
    await expect(proposition.locator(".statut-proposition")).to_have_text(
        "Entretien avec l'employeur"
    )  # the parcours refused the hiring: nothing changed
    await proposition.get_by_label("Début du contrat").fill(date.today().isoformat())
    await proposition.get_by_label("Fin du contrat").fill(fin)
    await proposition.get_by_role("button", name="Déclarer l'embauche").click()
    proposition = page.locator("#table-propositions tbody tr").first
    await expect(proposition.locator(".statut-proposition")).to_have_text("Embauchée")
    await expect(proposition).to_contain_text("L'embauche est déclarée dans le parcours.")

    await page.goto(f"{base}/parcours/{pid}")
    await expect(page.locator("#situation")).to_contain_text("Phase : Suivi dans l'emploi")
    releve.rien()
