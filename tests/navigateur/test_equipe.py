"""The dossier unique partagé in two real browsers (issue 17): the référent invites a France
Travail counsellor of another structure; the counsellor sees the dossier (not the health and
justice answers) and writes a note, which the référent reads in the notes and the timeline;
the consent is withdrawn and the counsellor's next request is refused; the anonymisation of
the closed parcours removes the notes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, expect
from sqlmodel import select

from store.equipe import NoteRow
from tests.cockpit.conftest import CLAIRE, commande, stable
from tests.equipe.test_equipe_api import _anonymiser, _lignes
from tests.fixtures.plateforme import Plateforme
from tests.navigateur.conftest import se_connecter
from tests.securite.test_sante_justice import SENSIBLES, _parcours_avec_sante

pytestmark = pytest.mark.browser
NOTE = "Inscrite à l'atelier CV du 12, à rappeler après"


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


async def test_le_referent_invite_le_conseiller_qui_lit_note_puis_perd_l_acces(
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
    await page.select_option("#champ-compte_id", "ref-karim-benali")
    await page.select_option("#champ-role", "conseiller_france_travail")
    await page.fill("#champ-telephone", "04 50 00 00 01")
    await formulaire.locator("button[type=submit]").click()
    await expect(page.locator("#equipe")).to_contain_text("Karim Benali")
    await expect(page.locator("#equipe")).to_contain_text("karim.benali@francetravail.fr")

    # The counsellor sees the dossier and the team, not the health and justice answers.
    await se_connecter(conseiller, plateforme, "karim.benali@francetravail.fr")
    await conseiller.goto(f"{plateforme.base_url}/parcours/{pid}")
    await expect(conseiller.locator("#dossier")).to_contain_text("Référent unique")
    await expect(conseiller.locator("#equipe")).to_contain_text("claire.martin@hautesavoie.fr")
    contenu = await conseiller.content()
    assert not [s for s in SENSIBLES if s in contenu], "santé ou justice montrée à un membre"
    await expect(conseiller.locator("#commandes")).to_contain_text("vous le consultez seulement")

    # He writes a note; it is in the notes and in the timeline, for him and for the référent.
    await conseiller.fill("#note-texte", NOTE)
    await conseiller.click("#note-nouvelle button[type=submit]")
    await expect(conseiller.locator("#notes .notes-liste")).to_contain_text(NOTE)
    await expect(conseiller.locator("#timeline")).to_contain_text(NOTE)
    await page.reload()
    await expect(page.locator("#notes .notes-liste")).to_contain_text("Karim Benali")
    await expect(page.locator("#timeline")).to_contain_text(NOTE)
    await page.fill("#notes-q", "atelier cv")
    await page.click("#notes form[role=search] button")
    await expect(page.locator("#notes .notes-liste")).to_contain_text(NOTE)

    # The person withdraws her consent to sharing: his next request is refused.
    retrait = {"partage_partenaires": False, "themes_sensibles": True, "recueilli_le": str(today)}
    await commande(api, pid, "modifier_consentement", retrait)
    await conseiller.reload()
    await expect(conseiller.get_by_role("heading", name="Parcours introuvable")).to_be_visible()
    assert NOTE not in await conseiller.content()

    # The closed parcours is anonymised: its notes are gone.
    await commande(api, pid, "prononcer_sortie", {"le": str(today), "motif": "demenagement"})
    await _anonymiser(plateforme, pid)
    assert not await _lignes(plateforme, select(NoteRow).where(NoteRow.parcours_id == pid))
