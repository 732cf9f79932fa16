"""A pilot's first list, in a real browser, from an empty installation with its engine (issue
16): the first administrator by the command, who creates a structure and a référent; a first
list brings two people; the next week's list of three, in which those two come again with a
new phone, opens only the third and updates the two; the référent finds the three in her
portfolio, each once."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, expect
from sqlmodel import col, select
from temporalio.testing import WorkflowEnvironment

from core.settings import Settings
from store.db import create_schema, make_engine, session_factory
from store.parcours import ParcoursRow
from tests.administration.outils import lien_recu, un_siret
from tests.fixtures.plateforme import _free_socket, servir
from tests.fixtures.postgres import BasesDeTest
from tests.fixtures.simulateur import Simulateur
from tests.imports import fichiers
from tests.navigateur.test_premiere_semaine import (
    _activer,
    _commande,
    _connecter,
    _nouvelle_page,
)
from web.app import create_app
from worker import running_worker

pytestmark = pytest.mark.browser
DELAI_IMPORT_MS = 120_000


@pytest_asyncio.fixture
async def installation_vide_avec_moteur(
    tmp_path: Path,
    simulateur: Simulateur,
    bases_de_test: BasesDeTest,
    temporal_local: WorkflowEnvironment,
) -> AsyncIterator[tuple[str, Settings]]:
    """The web app and a worker of its own (its own task queue) on a read model with no
    account at all (DEMO_DATA=false), on the tests' Temporal server."""
    sock = _free_socket()
    port = sock.getsockname()[1]
    settings = Settings(
        DATA_DIR=tmp_path,
        DATABASE_URL=bases_de_test.nouvelle(tmp_path),
        PORT=port,
        PUBLIC_URL=f"http://127.0.0.1:{port}",
        TEMPORAL_ADDRESS=temporal_local.client.service_client.config.target_host,
        PARTNER_BASE_URL=simulateur.settings.effective_partner_base_url,
        SMTP_HOST=simulateur.settings.smtp_host,
        SMTP_PORT=simulateur.settings.smtp_port,
        DEMO_DATA=False,
    )
    engine = make_engine(settings.effective_database_url)
    await create_schema(engine)
    await engine.dispose()
    queue = f"pilote-{uuid.uuid4()}"
    async with (
        running_worker(temporal_local.client, settings, task_queue=queue),
        servir(create_app(settings, task_queue=queue), sock),
    ):
        yield f"http://127.0.0.1:{port}", settings


async def _importer(page: Page, base: str, fichier: Path, referent: str) -> None:
    """Upload, preview (the caller checks it), as the coordination does it."""
    await page.goto(f"{base}/imports")
    await page.get_by_label("Source").fill("cd74-pilote")
    await page.set_input_files("#fichier", str(fichier))
    await expect(page.locator("#form-import [name=nom_fichier]")).to_have_value(fichier.name)
    await page.get_by_label("Référent des parcours ouverts").select_option(label=referent)
    await page.get_by_role("button", name="Voir l'aperçu").click()
    await expect(page.get_by_role("heading", name=f"Import de « {fichier.name} »")).to_be_visible()


async def _confirmer(page: Page) -> None:
    await page.get_by_role("button", name="Confirmer l'import").click()
    await expect(page.locator("#progression")).to_contain_text(
        "Import terminé", timeout=DELAI_IMPORT_MS
    )


async def _projetes(settings: Settings, prefixe: str) -> list[ParcoursRow]:
    """The read model's parcours of the list once their référent and the new phones are
    written there (the projection follows the workflows by a moment), at most 60 s."""
    engine = make_engine(settings.effective_database_url)
    limite = asyncio.get_running_loop().time() + 60
    try:
        while True:
            async with session_factory(engine)() as session:
                q = select(ParcoursRow).where(col(ParcoursRow.nom).istartswith(prefixe))
                rows = list((await session.exec(q)).all())
            telephones = {(r.etat.get("usager") or {}).get("telephone") for r in rows}
            complet = {"+33798765431", "+33798765432"} <= telephones
            if len(rows) >= 3 and all(r.referent_id for r in rows) and complet:
                return rows
            if asyncio.get_running_loop().time() > limite:
                return rows
            await asyncio.sleep(0.2)
    finally:
        await engine.dispose()


async def test_premiere_liste_d_un_pilote(
    installation_vide_avec_moteur: tuple[str, Settings],
    chromium: Browser,
    simulateur: Simulateur,
    tmp_path: Path,
) -> None:
    base, settings = installation_vide_avec_moteur
    suffixe = uuid.uuid4().hex[:6]
    email_admin, email_ref = f"admin.{suffixe}@spie74.fr", f"referente.{suffixe}@cd74.fr"
    structure, referente = f"PMS d'Annecy {suffixe}", f"Rose Référente {suffixe}"

    premier = _commande(settings, "premier-admin", email_admin, "Alice Administratrice")
    assert premier.returncode == 0, premier.stderr
    lien = next(m for m in premier.stdout.split() if "/activation/" in m)
    admin = await _nouvelle_page(chromium)
    await _activer(admin, lien, "mot-de-passe-de-l-admin")
    await _connecter(admin, base, email_admin, "mot-de-passe-de-l-admin")

    # A structure, then a référent of it, invited by e-mail.
    await admin.get_by_role("link", name="Administration").click()
    await admin.get_by_role("link", name="Créer une structure").click()
    await admin.get_by_label("Nom", exact=True).fill(structure)
    await admin.get_by_label("Type").select_option("conseil_departemental")
    await admin.get_by_label("SIRET", exact=False).fill(un_siret())
    await admin.locator('label[for="territoire-bassin_annecien"]').click()
    await admin.get_by_role("button", name="Créer la structure").click()
    await expect(admin.locator("#structures")).to_contain_text(structure)
    await admin.get_by_role("link", name="Créer un compte").click()
    await admin.get_by_label("Prénom et nom").fill(referente)
    await admin.get_by_label("Adresse électronique").fill(email_ref)
    await admin.get_by_label("Rôle").select_option("referent")
    await admin.get_by_label("Structure", exact=True).select_option(label=structure)
    await admin.get_by_label("Territoire").select_option("bassin_annecien")
    await admin.get_by_role("button", name="Créer le compte et envoyer le lien").click()
    await expect(admin.get_by_role("status")).to_contain_text(f"envoyé à {email_ref}")

    # Two people come in a first list; the next week's list brings them again, with a new
    # mobile each, and a third person.
    prefixe = "Pil" + suffixe.upper()
    personnes = fichiers.personnes(3, prefixe)
    semaine_1 = tmp_path / f"liste-{suffixe}-semaine-1.xlsx"
    semaine_1.write_bytes(fichiers.xlsx(personnes[:2]))
    await _importer(admin, base, semaine_1, referente)
    await expect(admin.get_by_text("Ouvrir un parcours : 2")).to_be_visible()
    await _confirmer(admin)
    await expect(admin.locator("#progression")).to_contain_text("Parcours ouvert : 2")

    personnes[0][7], personnes[1][7] = "07 98 76 54 31", "07 98 76 54 32"
    semaine_2 = tmp_path / f"liste-{suffixe}-semaine-2.xlsx"
    semaine_2.write_bytes(fichiers.xlsx(personnes))
    await _importer(admin, base, semaine_2, referente)
    await expect(admin.get_by_text("Ouvrir un parcours : 1")).to_be_visible()
    await expect(admin.get_by_text("Mettre à jour les coordonnées : 2")).to_be_visible()
    await expect(admin.get_by_text("Déjà connu, rien à changer : 0")).to_be_visible()
    await _confirmer(admin)
    await expect(admin.locator("#progression")).to_contain_text("Coordonnées mises à jour : 2")
    await expect(admin.locator("#progression")).to_contain_text("Parcours ouvert : 1")

    # The référent's portfolio: the three people, each once.
    rows = await _projetes(settings, prefixe)
    assert len(rows) == 3, [r.nom for r in rows]
    assert {r.referent_nom for r in rows} == {referente}
    referent = await _nouvelle_page(chromium)
    await _activer(
        referent, base + await lien_recu(simulateur, email_ref), "secret-de-la-referente"
    )
    await _connecter(referent, base, email_ref, "secret-de-la-referente")
    await expect(referent.get_by_role("heading", name="Mes parcours")).to_be_visible()
    tableau = referent.locator("#tableau tbody tr")
    for personne in personnes:
        nom = re.compile(re.escape(personne[1]), re.IGNORECASE)
        await expect(tableau.filter(has_text=nom)).to_have_count(1)
    await expect(tableau).to_have_count(3)
    for p in (admin, referent):
        await p.context.close()
