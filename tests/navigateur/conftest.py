"""A real Chromium (Debian's, driven by Playwright) against the platform served over HTTP.

Each test gets a fresh browser context at 1280×800 in French; JavaScript errors on the page
fail the test. Logging in goes through the login form once per account, then the session
cookie is reused (the login form is rate-limited per address)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect
from playwright.async_api import Error as PlaywrightError

from tests.fixtures.plateforme import Plateforme
from tests.navigateur.axe_core import contexte_sans_csp

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=fr-FR",
]
MOT_DE_PASSE = "parcours-demo"
DELAI_MS = 45_000  # longer than the pages' polling periods (10 s and 20 s)


def _chromium() -> str:
    found = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if found is None:
        pytest.fail(
            "Chromium introuvable : « make test » l'installe (make outils-systeme), "
            "ou sous Debian : apt-get install chromium"
        )
    return found


@pytest_asyncio.fixture(scope="session")
async def chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=_chromium(), args=ARGS)
        yield browser
        await browser.close()


_cookies: dict[str, list[Any]] = {}


@pytest_asyncio.fixture
async def contexte(chromium: Browser) -> AsyncIterator[BrowserContext]:
    ctx = await chromium.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    ctx.set_default_timeout(15_000)
    yield ctx
    await ctx.close()


@pytest_asyncio.fixture
async def page(contexte: BrowserContext) -> AsyncIterator[Page]:
    p = await contexte.new_page()
    erreurs: list[str] = []
    p.on("pageerror", lambda e: erreurs.append(str(e)))
    yield p
    assert not erreurs, f"Erreurs JavaScript dans la page : {erreurs}"


async def _aller(page: Page, adresse: str) -> None:
    """A test that signs someone else in clears the cookies of a page still open: that page's
    own polling, refused, sends it to /connexion too, and whichever navigation comes second
    aborts the first (« net::ERR_ABORTED », seen once in a helper's runs). Go once more then."""
    try:
        await page.goto(adresse)
    except PlaywrightError as erreur:
        if "ERR_ABORTED" not in str(erreur):
            raise
        await page.goto(adresse)


async def se_connecter(page: Page, plateforme: Plateforme, email: str) -> None:
    """Through the login form the first time; with the same session cookie afterwards."""
    if email in _cookies:
        await page.context.add_cookies(_cookies[email])
        await _aller(page, plateforme.base_url + "/")
        return
    await _aller(page, plateforme.base_url + "/connexion")
    await page.get_by_label("Adresse électronique").fill(email)
    await page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url(plateforme.base_url + "/")
    _cookies[email] = await page.context.cookies()


# htmx wires the fields of swapped-in content only when it settles, 20 ms after the swap: an
# event fired in between (a template chosen, a text typed) reaches no handler. A person is never
# that fast; Playwright is.
EN_VOL = ("htmx-request", "htmx-swapping", "htmx-settling", "htmx-added")


async def htmx_au_repos(page: Page, zone: str = "#formulaire") -> None:
    """Wait until no htmx request, swap or settle is under way in ``zone`` (the pages' own
    polling elsewhere keeps its classes a while, and is not what the test is waiting for)."""
    selecteur = ", ".join(f"{zone}.{c}, {zone} .{c}" for c in EN_VOL)
    await expect(page.locator(selecteur)).to_have_count(0)


@pytest_asyncio.fixture
async def page_sans_csp(chromium: Browser) -> AsyncIterator[Page]:
    """A 1280 px page whose CSP is bypassed so that axe-core can be injected (tests only)."""
    ctx = await contexte_sans_csp(chromium)
    yield await ctx.new_page()
    await ctx.close()
