"""Documents in a real browser (issue 17, item 3): the référent picks a PDF on the parcours
page, attaches it, sees it in the documents and in the timeline, and downloads it back, the
same bytes; an executable named « .pdf » is refused with a French message."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import FilePayload, Page, expect
from sqlmodel import col, select

from store.audit import EntreeAudit
from tests.cockpit.conftest import CLAIRE, ouvrir, stable
from tests.fixtures.plateforme import Plateforme
from tests.navigateur.conftest import se_connecter
from tests.pieces.test_documents_http import _lire
from tests.pieces.test_pieces import EXECUTABLE, un_pdf

pytestmark = pytest.mark.browser
EMAIL = "claire.martin@hautesavoie.fr"


@pytest_asyncio.fixture
async def api(plateforme: Plateforme) -> AsyncIterator[httpx.AsyncClient]:
    async with plateforme.client(CLAIRE) as client:
        yield client


async def test_un_pdf_joint_puis_telecharge(
    page: Page, plateforme: Plateforme, api: httpx.AsyncClient
) -> None:
    pid = await ouvrir(api)
    await stable(api, pid)
    await se_connecter(page, plateforme, EMAIL)
    await page.goto(f"{plateforme.base_url}/parcours/{pid}")
    documents = page.locator("#documents")

    # an executable under a PDF's name: refused, in French, nothing attached
    await page.select_option("#document-type", "cv")
    await page.set_input_files(
        "#document-fichier",
        files=FilePayload(name="cv.pdf", mimeType="application/pdf", buffer=EXECUTABLE),
    )
    await documents.get_by_role("button", name="Joindre au dossier").click()
    await expect(documents.get_by_role("alert")).to_contain_text(
        "son contenu est celui d'un programme exécutable, pas d'un PDF"
    )
    await expect(documents).to_contain_text("Aucun document pour l'instant.")

    pdf = un_pdf("Attestation de formation")
    await page.select_option("#document-type", "attestation")
    await page.set_input_files(
        "#document-fichier",
        files=FilePayload(name="attestation.pdf", mimeType="application/pdf", buffer=pdf),
    )
    await documents.get_by_role("button", name="Joindre au dossier").click()
    await expect(documents).to_contain_text("« attestation.pdf » est joint au dossier.")
    await expect(page.locator("#timeline")).to_contain_text(
        "Document joint : Attestation « attestation.pdf »"
    )

    async with page.expect_download() as telechargement:
        await documents.get_by_role("link", name="Attestation : attestation.pdf").click()
    fichier = await (await telechargement.value).path()
    assert await asyncio.to_thread(Path(fichier).read_bytes) == pdf
    journal = await _lire(
        plateforme,
        select(EntreeAudit.action, EntreeAudit.detail)
        .where(EntreeAudit.objet == f"parcours:{pid}", col(EntreeAudit.detail).like("document %"))
        .order_by(col(EntreeAudit.id)),
    )
    assert [action for action, _ in journal] == ["ecriture", "export"]
