"""The dossier unique partagé in two real browsers (issue 17, « What it must show »): the
référent invites a France Travail counsellor of another structure; the counsellor sees the
dossier (not the health and justice answers), writes a note and attaches a PDF; the référent
gets the notifications in her centre and opens both, the note and the document (the same
bytes); the consent is withdrawn and the counsellor's next requests are refused; the
anonymisation of the closed parcours removes the notes and the document's bytes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, FilePayload, Page, expect
from sqlmodel import select

from pieces.stockage import DocumentAbsent, stockage_de
from store.equipe import NoteRow
from store.pieces import PieceRow
from tests.cockpit.conftest import CLAIRE, commande, stable
from tests.equipe.test_equipe_api import _anonymiser, _lignes
from tests.fixtures.plateforme import Plateforme
from tests.navigateur.conftest import DELAI_MS, htmx_au_repos, se_connecter
from tests.pieces.test_pieces import un_pdf
from tests.securite.test_sante_justice import SENSIBLES, _parcours_avec_sante

pytestmark = pytest.mark.browser
NOTE = "Inscrite à l'atelier CV du 12, à rappeler après"
PDF_NOM = "attestation-inscription.pdf"
PDF = un_pdf("Attestation d'inscription France Travail")


@pytest_asyncio.fixture
async def api(plateforme: Plateforme) -> AsyncIterator[httpx.AsyncClient]:
    async with plateforme.client(CLAIRE) as client:
        yield client


@pytest_asyncio.fixture
async def conseiller(chromium: Browser) -> AsyncIterator[Page]:
    """A second browser, the counsellor's own (its own cookies)."""
    ctx = await chromium.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    ctx.set_default_timeout(15_000)
    yield await ctx.new_page()
    await ctx.close()


async def test_dossier_partage_de_l_invitation_a_l_anonymisation(
    page: Page, conseiller: Page, plateforme: Plateforme, api: httpx.AsyncClient
) -> None:
    today = date.today()
    pid = await _parcours_avec_sante(api, today)
    await stable(api, pid)

    # The référent invites Karim Benali (France Travail) from the parcours page.
    await se_connecter(page, plateforme, "claire.martin@hautesavoie.fr")
    await page.goto(f"{plateforme.base_url}/parcours/{pid}")
    await page.click('button[data-commande="ajouter_membre"]')
    formulaire = page.locator("#formulaire-ajouter_membre")
    await expect(formulaire).to_be_visible()
    await htmx_au_repos(page)
    await page.select_option("#champ-compte_id", "ref-karim-benali")
    await page.select_option("#champ-role", "conseiller_france_travail")
    await page.fill("#champ-telephone", "04 50 00 00 01")
    await formulaire.locator("button[type=submit]").click()
    # a command through the parcours' workflow: longer than an expectation's 5 s when loaded
    await expect(page.locator("#equipe")).to_contain_text("Karim Benali", timeout=DELAI_MS)
    await expect(page.locator("#equipe")).to_contain_text("karim.benali@francetravail.fr")

    # The counsellor sees the dossier and the team, not the health and justice answers.
    await se_connecter(conseiller, plateforme, "karim.benali@francetravail.fr")
    await conseiller.goto(f"{plateforme.base_url}/parcours/{pid}")
    await expect(conseiller.locator("#dossier")).to_contain_text("Référent unique")
    await expect(conseiller.locator("#equipe")).to_contain_text("claire.martin@hautesavoie.fr")
    contenu = await conseiller.content()
    assert not [s for s in SENSIBLES if s in contenu], "santé ou justice montrée à un membre"
    await expect(conseiller.locator("#commandes")).to_contain_text("vous le consultez seulement")

    # He writes a note and attaches a PDF.
    await htmx_au_repos(conseiller, "#notes")
    await conseiller.fill("#note-texte", NOTE)
    await conseiller.click("#note-nouvelle button[type=submit]")
    await expect(conseiller.locator("#notes .notes-liste")).to_contain_text(NOTE, timeout=DELAI_MS)
    await expect(conseiller.locator("#timeline")).to_contain_text(NOTE)
    documents = conseiller.locator("#documents")
    await htmx_au_repos(conseiller, "#documents")
    await conseiller.select_option("#document-type", "attestation")
    await conseiller.set_input_files(
        "#document-fichier",
        files=FilePayload(name=PDF_NOM, mimeType="application/pdf", buffer=PDF),
    )
    await documents.get_by_role("button", name="Joindre au dossier").click()
    await expect(documents).to_contain_text(
        f"« {PDF_NOM} » est joint au dossier.", timeout=DELAI_MS
    )

    # The référent is told of both in her notification centre, and opens each.
    await page.goto(f"{plateforme.base_url}/notifications")
    cartes = page.locator("#liste-notifications li.fr-card")
    de_la_note = cartes.filter(has_text=f"Karim Benali a ajouté une note au parcours {pid[:8]}")
    du_document = cartes.filter(
        has_text=f"Karim Benali a ajouté un document (Attestation) au parcours {pid[:8]}"
    )
    await expect(de_la_note).to_contain_text("Non lue")
    await expect(du_document).to_contain_text("Non lue")

    await de_la_note.get_by_role("button", name="Ouvrir").click()
    await page.wait_for_url(f"{plateforme.base_url}/parcours/{pid}#notes")
    await expect(page.locator("#notes .notes-liste")).to_contain_text("Karim Benali")
    await expect(page.locator("#notes .notes-liste")).to_contain_text(NOTE)
    await expect(page.locator("#timeline")).to_contain_text(NOTE)
    await htmx_au_repos(page, "#notes")
    await page.fill("#notes-q", "atelier cv")
    await page.click("#notes form[role=search] button")
    await expect(page.locator("#notes .notes-liste")).to_contain_text(NOTE, timeout=DELAI_MS)

    await page.goto(f"{plateforme.base_url}/notifications")
    # Read now: not among the unread any more. The centre shows 50, unread first, so the read
    # card itself falls past them when the session left Claire more than 50 unread (54 in a
    # run on 3 processes, where « not_to_contain_text » found no card at all).
    await expect(de_la_note.filter(has_text="Non lue")).to_have_count(0)
    await du_document.get_by_role("button", name="Ouvrir").click()
    await page.wait_for_url(f"{plateforme.base_url}/parcours/{pid}#documents")
    lien = page.locator("#documents").get_by_role("link", name=f"Attestation : {PDF_NOM}")
    async with page.expect_download() as telechargement:
        await lien.click()
    fichier = await (await telechargement.value).path()
    assert await asyncio.to_thread(Path(fichier).read_bytes) == PDF
    adresse = await lien.get_attribute("href")
    assert adresse is not None

    # The person withdraws her consent to sharing: his next requests are refused.
    retrait = {"partage_partenaires": False, "themes_sensibles": True, "recueilli_le": str(today)}
    await commande(api, pid, "modifier_consentement", retrait)
    await conseiller.reload()
    await expect(conseiller.get_by_role("heading", name="Parcours introuvable")).to_be_visible()
    assert NOTE not in await conseiller.content()
    refus = await conseiller.request.get(plateforme.base_url + adresse)
    assert refus.status == 404, await refus.text()
    assert PDF not in await refus.body()

    # The closed parcours is anonymised: its notes and the document's bytes are gone.
    (piece,) = await _lignes(plateforme, select(PieceRow).where(PieceRow.parcours_id == pid))
    stockage = stockage_de(plateforme.settings)
    assert await stockage.lire(piece.cle)  # stored (encrypted) until then
    await commande(api, pid, "prononcer_sortie", {"le": str(today), "motif": "demenagement"})
    await _anonymiser(plateforme, pid)
    assert not await _lignes(plateforme, select(NoteRow).where(NoteRow.parcours_id == pid))
    assert not await _lignes(plateforme, select(PieceRow).where(PieceRow.parcours_id == pid))
    with pytest.raises(DocumentAbsent):
        await stockage.lire(piece.cle)
