"""A référent in a real browser: logs in, finds a parcours in « mes parcours », takes it
through the diagnostic and the orientation, is refused a 31-day immersion in French; and a
change made in one tab shows in another without reloading."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import BrowserContext, Page, expect

from tests.api import donnees
from tests.cockpit.conftest import CLAIRE, commande, ouvrir, stable
from tests.fixtures.plateforme import Plateforme
from tests.navigateur.conftest import DELAI_MS, htmx_au_repos, se_connecter

pytestmark = pytest.mark.browser
EMAIL = "claire.martin@hautesavoie.fr"
FREINS = 8


@pytest_asyncio.fixture
async def api(plateforme: Plateforme) -> AsyncIterator[httpx.AsyncClient]:
    async with plateforme.client(CLAIRE) as client:
        yield client


async def _nom(api: httpx.AsyncClient, pid: str) -> str:
    return str((await api.get(f"/api/v1/parcours/{pid}")).json()["etat"]["usager"]["nom"])


async def _ouvrir_formulaire(page: Page, commande_nom: str) -> None:
    await page.click(f'button[data-commande="{commande_nom}"]')
    await expect(page.locator(f"#formulaire-{commande_nom}")).to_be_visible()
    await htmx_au_repos(page)


async def test_deux_etapes_puis_refus_de_pmsmp(
    page: Page, plateforme: Plateforme, api: httpx.AsyncClient
) -> None:
    pid = await ouvrir(api)
    await stable(api, pid)
    nom = await _nom(api, pid)

    await se_connecter(page, plateforme, EMAIL)
    await expect(page.get_by_role("heading", name="Mes parcours")).to_be_visible()
    recherche = page.get_by_label("Nom, prénom ou référence")
    await recherche.fill(nom)
    # The list searches on keyup or Enter, as a person types; fill() sends neither (the test
    # used to find the parcours on the first page by chance, not by its search).
    await recherche.press("Enter")
    lien = page.locator("#tableau").get_by_role("link", name=nom.upper())
    await lien.click()
    await expect(page.locator("#situation")).to_contain_text("Phase : Accueil")

    # Step 1: the diagnostic, with its eight freins
    await _ouvrir_formulaire(page, "enregistrer_diagnostic")
    await page.select_option("#champ-situation", "sans_emploi_inscrit")
    await page.select_option("#champ-niveau_formation", "niveau_3")
    await page.select_option("#champ-disponibilite", "immediate")
    for i in range(FREINS):
        niveau = "bloquant" if i == 2 else "aucun"
        await page.click(f'label[for="champ-freins-{i}-niveau-{niveau}"]')
    await page.click("#formulaire-enregistrer_diagnostic button[type=submit]")
    await expect(page.locator("#formulaire")).to_contain_text("c'est enregistré")
    await expect(page.locator("#situation")).to_contain_text("Phase : Diagnostic")
    await expect(page.locator("#timeline")).to_contain_text("Diagnostic réalisé")

    # Step 2: the orientation, beside the rules' proposal and its reason
    await _ouvrir_formulaire(page, "decider_orientation")
    formulaire = page.locator("#formulaire-decider_orientation")
    await expect(formulaire).to_contain_text("Proposition des règles d'orientation")
    await page.select_option("#champ-referent_id", index=1)
    await formulaire.locator("button[type=submit]").click()
    await expect(page.locator("#situation")).to_contain_text("Phase : Orientation")
    await expect(page.locator("#dossier")).to_contain_text("Référent unique")


async def test_pmsmp_de_31_jours_refusee(
    page: Page, plateforme: Plateforme, api: httpx.AsyncClient
) -> None:
    today = date.today()
    pid = await ouvrir(api)
    await commande(api, pid, "enregistrer_diagnostic", donnees.diagnostic(today))
    decision = {
        "decidee_le": today.isoformat(),
        "type": "sociale",
        "organisme": "conseil_departemental",
        "referent_id": CLAIRE,
        "motif_ecart": "Accompagnement social déjà engagé",
    }
    await commande(api, pid, "decider_orientation", decision)
    await commande(api, pid, "rediger_contrat", donnees.contrat(today) | {"type": "cer"})
    for qui in ("usager", "referent"):
        await commande(api, pid, "signer_contrat", {"signataire": qui, "signe_le": str(today)})
    await stable(api, pid)

    await se_connecter(page, plateforme, EMAIL)
    await page.goto(f"{plateforme.base_url}/parcours/{pid}")
    await _ouvrir_formulaire(page, "prescrire_pmsmp")
    champs = {
        "entreprise-siret": "73282932000074",
        "entreprise-raison_sociale": "Boulangerie du Semnoz",
        "entreprise-etablissement": "Fournil de Seynod",
        "entreprise-commune": "Seynod",
        "tuteur-nom": "Perret",
        "tuteur-prenom": "Lucie",
        "tuteur-fonction": "Cheffe boulangère",
        "date_debut": today.isoformat(),
        "date_fin": (today + timedelta(days=30)).isoformat(),  # 31 days, one too many
        "heures_hebdomadaires": "35",
        "horaires": "Du lundi au vendredi, 6 h – 13 h",
        "metier": "Vendeuse en boulangerie",
    }
    for champ, valeur in champs.items():
        await page.fill(f"#champ-{champ}", valeur)
    await page.select_option("#champ-objectif", "decouvrir")
    await page.click("#formulaire-prescrire_pmsmp button[type=submit]")
    erreur = page.locator("#formulaire-prescrire_pmsmp .fr-alert--error")
    await expect(erreur).to_contain_text(
        "Une PMSMP dure au plus 30 jours : cette convention en compte 31"
    )
    await expect(erreur).to_be_focused()
    await expect(page.locator("#champ-entreprise-raison_sociale")).to_have_value(
        "Boulangerie du Semnoz"
    )
    await expect(page.locator("#dossier")).not_to_contain_text("Immersion")


async def test_un_onglet_voit_le_changement_de_l_autre(
    contexte: BrowserContext, page: Page, plateforme: Plateforme, api: httpx.AsyncClient
) -> None:
    pid = await ouvrir(api)
    await stable(api, pid)
    await se_connecter(page, plateforme, EMAIL)
    url = f"{plateforme.base_url}/parcours/{pid}"
    autre = await contexte.new_page()
    await autre.goto(url)
    await page.goto(url)

    await _ouvrir_formulaire(page, "enregistrer_contact")
    await page.select_option("#champ-mode", "telephone")
    await page.fill("#champ-objet", "Appel de suivi depuis le premier onglet")
    await page.click("#formulaire-enregistrer_contact button[type=submit]")
    await expect(page.locator("#timeline")).to_contain_text("premier onglet")
    await expect(autre.locator("#timeline")).to_contain_text("premier onglet", timeout=DELAI_MS)
