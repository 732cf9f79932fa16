"""A collective session in a real browser (issue 18, item 3): Thomas Bernard organises an
information session of two seats from the page; Amélie Rousseau registers a person she follows
(by the API), Thomas one of his from the session's page; the third person is refused in French,
the session is full; Thomas records everyone's attendance at once — his person present,
Amélie's absent — and the parcours of the absent person, which Amélie follows, shows the
absence noted by the session's animator and the rupture rule a second no-show raises today.
axe-core finds no serious violation on the sessions' pages."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.async_api import Locator, Page, expect

from tests.agendas.session_collective import (
    AMELIE,
    RACINE,
    THOMAS,
    deja_commencee_aujourd_hui,
    non_honore_deja,
    nouvelle_personne,
)
from tests.fixtures.plateforme import Plateforme
from tests.navigateur.axe_core import violations_graves
from tests.navigateur.conftest import DELAI_MS, se_connecter

pytestmark = pytest.mark.browser


async def test_session_complete_et_presence_pour_tous(
    page_sans_csp: Page, plateforme: Plateforme, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = page_sans_csp
    erreurs: list[str] = []
    page.on("pageerror", lambda e: erreurs.append(str(e)))
    debut = deja_commencee_aujourd_hui(monkeypatch)
    titre = f"Information collective {secrets.token_hex(3)}"
    salle = f"Salle {secrets.token_hex(4)}"
    async with plateforme.client(THOMAS) as thomas, plateforme.client(AMELIE) as amelie:
        lieu = {"nom": salle, "adresse": "3 rue du Salève", "code_postal": "74100"}
        r = await thomas.post("/api/v1/agenda/lieux", json=lieu | {"commune": "Annemasse"})
        assert r.status_code == 201, r.text
        present, _, nom_present = await nouvelle_personne(thomas)
        troisieme, _, nom_troisieme = await nouvelle_personne(thomas)
        absente, _, nom_absente = await nouvelle_personne(amelie)
        await non_honore_deja(amelie, absente)  # one no-show already: a second is a rupture

        # Thomas organises the session from the page
        await se_connecter(page, plateforme, "thomas.bernard@hautesavoie.fr")
        await page.goto(f"{plateforme.base_url}/agenda/sessions")
        assert not await violations_graves(page)
        formulaire = page.get_by_role("form", name="Organiser une session collective")
        await formulaire.get_by_label("Titre").fill(titre)
        await formulaire.get_by_label("Motif").select_option("information_collective")
        await formulaire.get_by_label("Jour").fill(debut.date().isoformat())
        await formulaire.get_by_label("Début").fill("00:00")
        await formulaire.get_by_label("Fin", exact=True).fill("23:59")
        await formulaire.get_by_label("Lieu").select_option(label=f"{salle} (Annemasse)")
        await formulaire.get_by_label("Places").fill("2")
        await formulaire.get_by_role("button").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text(titre)
        await expect(page.get_by_text("places libres : 2 sur 2")).to_be_visible()
        sid = page.url.rsplit("/", 1)[1]

        # Amélie registers the person she follows; Thomas his, then a third: refused
        r = await amelie.post(f"{RACINE}/{sid}/inscriptions", json={"parcours_id": absente})
        assert r.status_code == 201, r.text
        inscrire = page.get_by_role("form", name="Inscrire une personne")
        await inscrire.get_by_label("Personne").select_option(present)
        await inscrire.get_by_role("button", name="Inscrire").click()
        await expect(page.locator("#message-session")).to_have_text(
            "Inscription faite : la personne est prévenue.", timeout=DELAI_MS
        )
        inscrire = page.get_by_role("form", name="Inscrire une personne")
        await inscrire.get_by_label("Personne").select_option(troisieme)
        await inscrire.get_by_role("button", name="Inscrire").click()
        await expect(page.locator("#message-session")).to_contain_text(
            "Cette session est complète."
        )
        inscrits = page.locator("#inscrits")
        await expect(inscrits).to_contain_text(nom_present)
        await expect(inscrits).to_contain_text(nom_absente)
        await expect(inscrits).not_to_contain_text(nom_troisieme)

        # everyone's attendance at once
        await _ligne(inscrits, nom_present).get_by_label(re.compile("^Honoré :")).check()
        await _ligne(inscrits, nom_absente).get_by_label(re.compile("^Non honoré :")).check()
        await page.get_by_role("button", name="Enregistrer la présence").click()
        await expect(page.locator("#bilan-presences")).to_contain_text(
            "Présence notée : renseignée dans le parcours de 2 personnes", timeout=DELAI_MS
        )
        assert not await violations_graves(page)

    # the parcours of the absent person, as Amélie sees it
    await se_connecter(page, plateforme, "amelie.rousseau@francetravail.fr")
    await page.goto(f"{plateforme.base_url}/parcours/{absente}")
    await expect(page.locator("#timeline")).to_contain_text(
        f"non honoré — présence notée par l'animateur de la session « {titre} »"
    )
    await expect(page.locator("#situation")).to_contain_text("2 rendez-vous de suite non honorés")
    assert not erreurs, f"Erreurs JavaScript dans la page : {erreurs}"


def _ligne(inscrits: Locator, nom: str) -> Locator:
    return inscrits.get_by_role("row").filter(has_text=nom)
