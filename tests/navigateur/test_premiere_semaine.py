"""The first week of a pilot, in a real browser, from an empty installation: the first
administrator by the documented command, a structure, its administrator invited by e-mail
(the link read from the simulator's mailbox), a référent created by that administrator, and
the référent's first login on an empty portfolio. Nobody types anyone else's password."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, expect

from core.settings import Settings
from store.db import create_schema, make_engine
from tests.administration.outils import lien_recu, un_siret
from tests.fixtures.plateforme import _free_socket, servir
from tests.fixtures.postgres import BasesDeTest
from tests.fixtures.simulateur import Simulateur
from web.app import create_app

pytestmark = pytest.mark.browser
RACINE = Path(__file__).resolve().parents[2]


@pytest_asyncio.fixture
async def installation_vide(
    tmp_path: Path, simulateur: Simulateur, bases_de_test: BasesDeTest
) -> AsyncIterator[tuple[str, Settings]]:
    """The web app on a read model with no account at all (DEMO_DATA=false)."""
    sock = _free_socket()
    port = sock.getsockname()[1]
    settings = Settings(
        DATA_DIR=tmp_path,
        DATABASE_URL=bases_de_test.nouvelle(tmp_path),
        PORT=port,
        PUBLIC_URL=f"http://127.0.0.1:{port}",
        SMTP_HOST=simulateur.settings.smtp_host,
        SMTP_PORT=simulateur.settings.smtp_port,
        TEMPORAL_ADDRESS="127.0.0.1:1",  # nothing here needs the workflows
        DEMO_DATA=False,
    )
    engine = make_engine(settings.effective_database_url)
    await create_schema(engine)
    await engine.dispose()
    async with servir(create_app(settings), sock):
        yield f"http://127.0.0.1:{port}", settings


def _commande(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m web.securite.comptes …`` as the README says, in its own process."""
    env = os.environ | {
        "DATA_DIR": str(settings.data_dir),
        "DATABASE_URL": settings.effective_database_url,
        "PUBLIC_URL": settings.effective_public_url,
    }
    return subprocess.run(
        [sys.executable, "-m", "web.securite.comptes", *args],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def _activer(page: Page, lien: str, mot_de_passe: str) -> None:
    await page.goto(lien)
    await page.get_by_label("Mot de passe", exact=True).fill(mot_de_passe)
    await page.get_by_label("Confirmation du mot de passe").fill(mot_de_passe)
    await page.get_by_role("button", name="Activer mon compte").click()
    await expect(page.get_by_role("status")).to_contain_text("votre compte est actif")


async def _connecter(page: Page, base: str, email: str, mot_de_passe: str) -> None:
    await page.goto(f"{base}/connexion")
    await page.get_by_label("Adresse électronique").fill(email)
    await page.get_by_label("Mot de passe").fill(mot_de_passe)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url(f"{base}/")


async def _nouvelle_page(chromium: Browser) -> Page:
    contexte = await chromium.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    contexte.set_default_timeout(15_000)
    return await contexte.new_page()


async def test_premiere_semaine_sans_developpeur(
    installation_vide: tuple[str, Settings], chromium: Browser, simulateur: Simulateur
) -> None:
    base, settings = installation_vide
    suffixe = uuid.uuid4().hex[:6]
    email_admin = f"admin.{suffixe}@spie74.fr"
    email_ml = f"directrice.{suffixe}@ml-genevois.fr"
    email_ref = f"referent.{suffixe}@ml-genevois.fr"

    # 1. The first administrator, by the command; a second one is refused.
    premier = _commande(settings, "premier-admin", email_admin, "Alice Administratrice")
    assert premier.returncode == 0, premier.stderr
    lien = re.search(r"https?://\S+/activation/\S+", premier.stdout)
    assert lien is not None, premier.stdout
    second = _commande(settings, "premier-admin", "autre@spie74.fr", "Bob")
    assert second.returncode == 1
    assert "Un administrateur existe déjà" in second.stderr

    admin = await _nouvelle_page(chromium)
    await _activer(admin, lien.group(0), "mot-de-passe-de-l-admin")
    await _connecter(admin, base, email_admin, "mot-de-passe-de-l-admin")

    # 2. A structure, with its SIRET checked.
    await admin.get_by_role("link", name="Administration").click()
    await admin.get_by_role("link", name="Créer une structure").click()
    await admin.get_by_label("Nom", exact=True).fill("Mission Locale du Genevois")
    await admin.get_by_label("Type").select_option("mission_locale")
    await admin.get_by_label("SIRET", exact=False).fill("12345678901234")
    await admin.locator('label[for="territoire-genevois_francais"]').click()
    await admin.get_by_role("button", name="Créer la structure").click()
    await expect(admin.locator("#erreur-formulaire")).to_contain_text("SIRET invalide")
    await expect(admin.get_by_label("Genevois français")).to_be_checked()  # kept as typed
    await admin.get_by_label("SIRET", exact=False).fill(un_siret())
    await admin.get_by_role("button", name="Créer la structure").click()
    await expect(admin.locator("#structures")).to_contain_text("Mission Locale du Genevois")

    # 3. Its administrator, invited by e-mail.
    await admin.get_by_role("link", name="Créer un compte").click()
    await admin.get_by_label("Prénom et nom").fill("Dominique Directrice")
    await admin.get_by_label("Adresse électronique").fill(email_ml)
    await admin.get_by_label("Rôle").select_option("admin_structure")
    await admin.get_by_label("Structure", exact=True).select_option(
        label="Mission Locale du Genevois"
    )
    await admin.get_by_role("button", name="Créer le compte et envoyer le lien").click()
    await expect(admin.get_by_role("status")).to_contain_text(f"envoyé à {email_ml}")
    await expect(admin.locator("#statut")).to_contain_text("Invité")
    await expect(admin.locator("#journal")).to_contain_text("compte_cree")

    directrice = await _nouvelle_page(chromium)
    await _activer(
        directrice, base + await lien_recu(simulateur, email_ml), "secret-de-la-directrice"
    )
    await _connecter(directrice, base, email_ml, "secret-de-la-directrice")

    # 4. A référent of her structure, created by her.
    await directrice.get_by_role("link", name="Administration").click()
    await directrice.get_by_role("link", name="Créer un compte").click()
    await directrice.get_by_label("Prénom et nom").fill("Romain Référent")
    await directrice.get_by_label("Adresse électronique").fill(email_ref)
    await directrice.get_by_label("Rôle").select_option("referent")
    await directrice.get_by_role("button", name="Créer le compte et envoyer le lien").click()
    await expect(directrice.get_by_role("status")).to_contain_text(f"envoyé à {email_ref}")

    # 5. The référent's first login: an empty portfolio.
    referent = await _nouvelle_page(chromium)
    await _activer(referent, base + await lien_recu(simulateur, email_ref), "secret-du-referent")
    await _connecter(referent, base, email_ref, "secret-du-referent")
    await expect(referent.get_by_role("heading", name="Mes parcours")).to_be_visible()
    await expect(referent.locator("#tableau")).to_contain_text("Aucun parcours")
    await expect(referent.locator("#utilisateur")).to_contain_text("Romain Référent — Référent")
    await expect(referent.get_by_role("link", name="Administration")).to_have_count(0)
    for p in (admin, directrice, referent):
        await p.context.close()
