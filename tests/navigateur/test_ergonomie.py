"""What a new user tripped on, seen in Chromium (issue 22): the focus after a form is closed,
the pages at phone width, and axe-core on every cockpit page."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Locator, Page, Route, expect

from tests.cockpit.conftest import CLAIRE, ouvrir, stable
from tests.fixtures.plateforme import Plateforme
from tests.navigateur.axe_core import violations_graves
from tests.navigateur.conftest import htmx_au_repos, se_connecter

pytestmark = pytest.mark.browser
EMAIL = "claire.martin@hautesavoie.fr"
COORDINATION = "anne.lefevre@spie74.fr"


@pytest_asyncio.fixture
async def pid(plateforme: Plateforme) -> AsyncIterator[str]:
    async with plateforme.client(CLAIRE) as api:
        ident = await ouvrir(api)
        await stable(api, ident)
        yield ident


async def _ouvrir_puis_annuler(page: Page, base_url: str, pid: str) -> Locator:
    """A keyboard user opens « Enregistrer un contact » and closes it with « Annuler »: the
    command's button, where the focus should be back."""
    await page.goto(f"{base_url}/parcours/{pid}")
    bouton = page.locator('#commandes button[data-commande="enregistrer_contact"]')
    await bouton.focus()
    await page.keyboard.press("Enter")
    formulaire = page.locator("#formulaire-enregistrer_contact")
    await expect(formulaire).to_be_visible()
    await formulaire.get_by_role("button", name="Annuler").click()
    await expect(formulaire).to_have_count(0)
    return bouton


async def test_le_focus_revient_au_bouton_qui_a_ouvert_le_formulaire(
    page: Page, plateforme: Plateforme, pid: str
) -> None:
    """Item 6: « Annuler » gives the focus back to the command's button, not to the body."""
    await se_connecter(page, plateforme, EMAIL)
    bouton = await _ouvrir_puis_annuler(page, plateforme.base_url, pid)
    await expect(bouton).to_be_focused()


async def test_le_focus_revient_quand_une_autre_partie_arrive_pendant_le_formulaire(
    page: Page, plateforme: Plateforme, pid: str
) -> None:
    """The header's notification count, asked when the page loads, comes back while the form
    is on its way (a slow server): its settling must not use up the memory of the button that
    opened the form. It did (the test above failed under load, « inactive »): « Annuler » then
    left the focus on the page's body."""
    formulaire_demande = asyncio.Event()

    async def compteur(route: Route) -> None:
        await formulaire_demande.wait()  # the count answers after the form was asked for
        await route.continue_()

    async def formulaire(route: Route) -> None:
        formulaire_demande.set()
        await htmx_au_repos(page, "#centre-notifications")  # the count came back and settled
        await route.continue_()

    await se_connecter(page, plateforme, EMAIL)
    await page.route(lambda url: "/notifications/compteur" in url, compteur)
    await page.route(lambda url: url.endswith("/commandes/enregistrer_contact"), formulaire)
    bouton = await _ouvrir_puis_annuler(page, plateforme.base_url, pid)
    assert formulaire_demande.is_set()
    await expect(bouton).to_be_focused()


async def test_le_focus_reste_quand_la_partie_se_rafraichit(
    page: Page, plateforme: Plateforme, pid: str
) -> None:
    """A background refresh (the parcours changed: a partner answered) replaces the commands'
    part: the button a keyboard user is on keeps the focus (this made the test above fail at
    random when a partner's answer came in meanwhile)."""
    await se_connecter(page, plateforme, EMAIL)
    await page.goto(f"{plateforme.base_url}/parcours/{pid}")
    bouton = page.locator('#commandes button[data-commande="enregistrer_contact"]')
    await bouton.focus()
    avant = await page.locator("#commandes").element_handle()
    await page.evaluate("htmx.trigger(document.body, 'parcours-modifie')")
    assert avant is not None
    await page.wait_for_function("e => !e.isConnected", arg=avant)  # the part was replaced
    await expect(bouton).to_be_focused()


# --- axe-core on every cockpit page (item 11) ----------------------------------------------


async def test_axe_sur_chaque_page_du_cockpit(
    page_sans_csp: Page, plateforme: Plateforme, pid: str
) -> None:
    page = page_sans_csp
    base = plateforme.base_url
    async with plateforme.client(CLAIRE) as api:  # four ruptures: the map's darkest cell
        for _ in range(4):
            await ouvrir(api, date.today() - timedelta(days=20))
    violations: dict[str, list[str]] = {}

    async def verifier(nom: str) -> None:
        if found := await violations_graves(page):
            violations[nom] = found

    await page.goto(f"{base}/connexion")
    await verifier("connexion")
    await se_connecter(page, plateforme, EMAIL)
    for chemin in ("/", f"/parcours/{pid}", f"/parcours/{pid}/carnet"):
        await page.goto(base + chemin)
        await verifier(chemin)
    await page.goto(f"{base}/parcours/{pid}")
    await page.click('#commandes button[data-commande="enregistrer_contact"]')
    await expect(page.locator("#formulaire-enregistrer_contact")).to_be_visible()
    await verifier("formulaire de commande")
    await page.context.clear_cookies()
    await se_connecter(page, plateforme, COORDINATION)
    for chemin in ("/coordination", "/observatoire", "/"):
        await page.goto(base + chemin)
        await verifier(f"{chemin} (coordination)")
    assert not violations, "\n".join(f"{k} : {v}" for k, vs in violations.items() for v in vs)


async def test_pause_des_mises_a_jour_automatiques(page: Page, plateforme: Plateforme) -> None:
    """Item 11 (RGAA 13.1): a button stops the parts that reload every 20 s, and resumes them.
    The page's clock is Playwright's: 45 s pass at once, without waiting."""
    await page.clock.install()
    await se_connecter(page, plateforme, EMAIL)
    requetes: list[str] = []
    page.on("request", lambda r: requetes.append(r.url) if "/parcours/tableau" in r.url else None)
    bouton = page.locator("#pause-maj")
    await expect(bouton).to_have_text("Suspendre les mises à jour automatiques")
    await bouton.click()
    await expect(bouton).to_have_attribute("aria-pressed", "true")
    await expect(bouton).to_have_text("Reprendre les mises à jour automatiques")
    await page.clock.run_for(45_000)
    assert requetes == []  # two polls due, none sent
    async with page.expect_response(lambda r: "/parcours/tableau" in r.url):
        await bouton.click()  # resuming refreshes the parts at once (all sent by the click)
    await expect(bouton).to_have_attribute("aria-pressed", "false")
    # And the polls go on again. The refreshed parts are wired when htmx settles, on the page's
    # (fake) clock, once their answer came over the (real) network: the clock is moved on
    # until a poll goes, rather than once and perhaps before the answer was there.
    apres_reprise = len(requetes)
    limite = asyncio.get_running_loop().time() + 30
    while len(requetes) == apres_reprise:
        assert asyncio.get_running_loop().time() < limite, "les mises à jour ne reprennent pas"
        await page.clock.run_for(25_000)
        await page.wait_for_load_state()  # lets the page's events in between


# --- phone, 390 × 844 (item 12) -------------------------------------------------------------


@pytest_asyncio.fixture
async def telephone(chromium: Browser) -> AsyncIterator[Page]:
    ctx = await chromium.new_context(
        viewport={"width": 390, "height": 844}, locale="fr-FR", is_mobile=True, has_touch=True
    )
    ctx.set_default_timeout(15_000)
    yield await ctx.new_page()
    await ctx.close()


async def _largeur(page: Page) -> int:
    return int(await page.evaluate("document.documentElement.scrollWidth"))


async def test_au_telephone(telephone: Page, plateforme: Plateforme, pid: str) -> None:
    """No page slides sideways; step names are not cut mid-word; the actions come first."""
    page = telephone
    await se_connecter(page, plateforme, EMAIL)
    assert await _largeur(page) <= 390, "« Mes parcours » plus large que l'écran"
    await page.goto(f"{plateforme.base_url}/parcours/{pid}")
    coupes = await page.evaluate(
        """() => [...document.querySelectorAll('.fr-stepper__title, .etapes li, #situation li')]
              .filter(e => e.scrollWidth > e.clientWidth + 1 ||
                  getComputedStyle(e).overflowWrap === 'anywhere' ||
                  getComputedStyle(e).wordBreak === 'break-all')
              .map(e => e.textContent.trim())"""
    )
    assert coupes == [], coupes
    actions = page.locator("#commandes")
    haut = await actions.evaluate("e => e.getBoundingClientRect().top + window.scrollY")
    assert haut < 844, f"les actions commencent à {haut} px, sous le premier écran"
    await page.click('#commandes button[data-commande="enregistrer_contact"]')
    await expect(page.locator("#formulaire-enregistrer_contact")).to_be_visible()
    # the form open, with its fields and buttons, fits the screen too
    assert await _largeur(page) <= 390, "le formulaire ouvert élargit la page"


async def test_page_d_un_parcours_pas_plus_large_que_le_telephone(
    telephone: Page, plateforme: Plateforme, pid: str
) -> None:
    """Item 12: the command buttons, stretched to 100 % plus the group's margins, made the
    page 8 px wider than a 390 px screen (the header menu only followed the wider page)."""
    await se_connecter(telephone, plateforme, EMAIL)
    await telephone.goto(f"{plateforme.base_url}/parcours/{pid}")
    assert await _largeur(telephone) <= 390
