"""Screenshots of the cockpit's main screens (1280×800) from a running platform (`make run`).

    .venv/bin/python -m devstack.captures [URL] [--sortie docs/captures]

Starts nothing: it logs in with the demo accounts through the login form and writes one PNG
per screen. Needs Chromium (Debian's /usr/bin/chromium) and the demo data.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path

from playwright.async_api import Browser, Page, async_playwright

from devstack.demo.comptes import MOT_DE_PASSE_DEMO

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
REFERENT = "claire.martin@hautesavoie.fr"
COORDINATEUR = "anne.lefevre@spie74.fr"
Capture = Callable[[Page, str], Awaitable[None]]


async def connecter(browser: Browser, base: str, email: str) -> Page:
    ctx = await browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    page = await ctx.new_page()
    await page.goto(f"{base}/connexion")
    await page.get_by_label("Adresse électronique").fill(email)
    await page.get_by_label("Mot de passe").fill(MOT_DE_PASSE_DEMO)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url(f"{base}/")
    return page


async def _calme(page: Page) -> None:
    await page.wait_for_load_state("networkidle")
    await page.wait_for_timeout(400)  # DSFR's scripts settle (fonts, collapses)


async def _voir(page: Page, selecteur: str) -> None:
    await page.locator(selecteur).first.evaluate("e => e.scrollIntoView({block: 'start'})")
    await page.wait_for_timeout(200)


async def _premier_parcours(page: Page, base: str, filtre: str, commande: str = "") -> str:
    """The first parcours of the list so filtered (offering that command, if one is named)."""
    await page.goto(f"{base}/?{filtre}")
    liens = page.locator("#tableau tbody a.fr-link")
    hrefs = [await liens.nth(i).get_attribute("href") for i in range(await liens.count())]
    for href in filter(None, hrefs):
        if not commande:
            return base + href
        await page.goto(base + href)
        if await page.locator(f'button[data-commande="{commande}"]').count():
            return base + href
    raise SystemExit(f"Aucun parcours de démonstration pour « {filtre} » {commande}")


async def referent(browser: Browser, base: str, sortie: Path) -> None:
    page = await connecter(browser, base, REFERENT)
    await _calme(page)
    await page.screenshot(path=sortie / "mes-parcours.png")

    fiche = await _premier_parcours(page, base, "statut=en_rupture&tri=statut")
    await page.goto(fiche)
    await _calme(page)
    await page.screenshot(path=sortie / "parcours.png")
    await page.goto(fiche + "/carnet")
    await _calme(page)
    await page.screenshot(path=sortie / "carnet.png")

    await page.goto(await _premier_parcours(page, base, "phase=accueil", "enregistrer_diagnostic"))
    await page.click('button[data-commande="enregistrer_diagnostic"]')
    await page.wait_for_selector("#formulaire-enregistrer_diagnostic")
    await _voir(page, "#formulaire")
    await page.screenshot(path=sortie / "diagnostic.png")

    await page.goto(await _premier_parcours(page, base, "phase=contrat", "prescrire_pmsmp"))
    await refus_pmsmp(page)
    await page.screenshot(path=sortie / "pmsmp-refusee.png")

    await page.goto(f"{base}/parcours/nouveau")
    await _calme(page)
    await page.screenshot(path=sortie / "accueil.png")
    await page.context.close()


async def refus_pmsmp(page: Page) -> None:
    """A 31-day immersion: the server refuses it in French and nothing changes."""
    await page.click('button[data-commande="prescrire_pmsmp"]')
    await page.wait_for_selector("#formulaire-prescrire_pmsmp")
    debut = date.today() + timedelta(days=7)
    valeurs = {
        "entreprise-siret": "73282932000074",
        "entreprise-raison_sociale": "Boulangerie du Semnoz",
        "entreprise-etablissement": "Fournil de Seynod",
        "entreprise-commune": "Seynod",
        "tuteur-nom": "Perret",
        "tuteur-prenom": "Lucie",
        "tuteur-fonction": "Cheffe boulangère",
        "date_debut": debut.isoformat(),
        "date_fin": (debut + timedelta(days=30)).isoformat(),
        "heures_hebdomadaires": "35",
        "horaires": "Du lundi au vendredi, 6 h – 13 h",
        "metier": "Vendeuse en boulangerie",
    }
    for champ, valeur in valeurs.items():
        await page.fill(f"#champ-{champ}", valeur)
    await page.select_option("#champ-objectif", "decouvrir")
    await page.click("#formulaire-prescrire_pmsmp button[type=submit]")
    await page.wait_for_selector("#formulaire-prescrire_pmsmp .fr-alert--error")
    await _voir(page, "#formulaire")


async def coordination(browser: Browser, base: str, sortie: Path) -> None:
    page = await connecter(browser, base, COORDINATEUR)
    await page.goto(f"{base}/coordination")
    await _calme(page)
    await _voir(page, "#carte")
    await page.screenshot(path=sortie / "coordination-carte.png")
    await _voir(page, "#ruptures")
    await page.screenshot(path=sortie / "coordination-ruptures.png")
    await _voir(page, "#incidents")
    await page.screenshot(path=sortie / "coordination-incidents.png")
    await _voir(page, "#ruptures")
    await page.locator("#ruptures button", has_text="Réassigner").first.click()
    await page.wait_for_selector("#modale-action-contenu form")
    await page.wait_for_timeout(500)
    await page.screenshot(path=sortie / "coordination-reassigner.png")
    await page.goto(f"{base}/connexion")  # the login page, as anyone sees it first
    await page.screenshot(path=sortie / "connexion.png")
    await page.context.close()


async def capturer(base: str, sortie: Path, chromium: str) -> None:
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            await referent(browser, base, sortie)
            await coordination(browser, base, sortie)
        finally:
            await browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="Captures d'écran du cockpit (1280×800).")
    parser.add_argument("url", nargs="?", default="http://localhost:8000")
    parser.add_argument("--sortie", type=Path, default=Path("docs/captures"))
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    args.sortie.mkdir(parents=True, exist_ok=True)
    asyncio.run(capturer(args.url.rstrip("/"), args.sortie, args.chromium))
    for image in sorted(args.sortie.glob("*.png")):
        print(image)


if __name__ == "__main__":
    main()
