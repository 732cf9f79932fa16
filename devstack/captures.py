"""Screenshots of the cockpit from a running platform (`make run`): its screens at 1280×800 and,
as a person or a référent on the move sees them, on a phone (390×844, `telephone-*.png`).

    .venv/bin/python -m devstack.captures [URL] [--simulateur URL] [--sortie docs/captures]

Starts nothing: it logs in with the demo accounts through the login form and writes one PNG
per screen. Needs Chromium (Debian's /usr/bin/chromium) and the demo data. The demo data has no
agenda, invitation nor note: the first run gives Claire Martin opening slots (weekday mornings,
in a place of her structure), invites one person she follows to book (the link is read from
the SMS the partner simulator received, as the person would), books the first slot with it
and writes a note; later runs reuse what is there. On the phone, a page wider than the screen
is reported on the console (its widest elements), not fixed here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Page, ViewportSize, async_playwright

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
ADMINISTRATEUR = "admin@spie74.fr"
ECRAN = ViewportSize(width=1280, height=800)
TELEPHONE = ViewportSize(width=390, height=844)
LIEN_RDV = re.compile(r"/rdv/([A-Za-z0-9_-]{40,})")
MOTIF = "accompagnement"
CHARGEMENT_MS = 120_000
NOTE = (
    "Appel de la personne : elle a trouvé une solution de garde pour les matins, "
    "on peut viser une immersion en boulangerie."
)
Capture = Callable[[Page, str], Awaitable[None]]


async def connecter(browser: Browser, base: str, email: str, telephone: bool = False) -> Page:
    page = await nouvelle_page(browser, telephone)
    await page.goto(f"{base}/connexion")
    await page.get_by_label("Adresse électronique").fill(email)
    await page.get_by_label("Mot de passe").fill(MOT_DE_PASSE_DEMO)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url(lambda url: "/connexion" not in url)
    return page


async def nouvelle_page(browser: Browser, telephone: bool = False) -> Page:
    if telephone:
        ctx = await browser.new_context(
            viewport=TELEPHONE,
            is_mobile=True,
            has_touch=True,
            device_scale_factor=2,
            locale="fr-FR",
        )
    else:
        ctx = await browser.new_context(viewport=ECRAN, locale="fr-FR")
    # Playwright's 30 s are short for a platform that is still digesting its demo data on a
    # busy machine (a first page then took longer); a screenshot run has no hurry.
    ctx.set_default_timeout(CHARGEMENT_MS)
    return await ctx.new_page()


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


async def _api(page: Page, methode: str, url: str, corps: Any = None) -> Any:
    """The JSON API with the page's session: its CSRF token is in the body's hx-headers."""
    entetes = json.loads(await page.locator("body").get_attribute("hx-headers") or "{}")
    r = await page.request.fetch(url, method=methode, data=corps, headers=entetes)
    if not r.ok:
        raise SystemExit(f"{methode} {url} : {r.status} {await r.text()}")
    return await r.json()


async def preparer_agenda(page: Page, base: str) -> None:
    """Weekday mornings in a place of the référent's structure, unless she has slots already."""
    api = f"{base}/api/v1/agenda"
    if await _api(page, "GET", f"{api}/plages"):
        return
    lieux = await _api(page, "GET", f"{api}/lieux")
    lieu = (
        lieux[0]
        if lieux
        else await _api(
            page,
            "POST",
            f"{api}/lieux",
            {
                "nom": "Pôle médico-social d'Annecy",
                "adresse": "26 avenue de Chevêne",
                "code_postal": "74000",
                "commune": "Annecy",
                "acces": "Bus ligne 2, arrêt Chevêne ; accueil au rez-de-chaussée",
            },
        )
    )
    for jour in "01234":
        plage = {
            "jour": jour,
            "debut": "09:00",
            "fin": "11:00",
            "modalite": "sur_place",
            "lieu_id": lieu["id"],
            "motifs": [MOTIF],
            "du": date.today().isoformat(),
        }
        await _api(page, "POST", f"{api}/plages", plage)


async def _liens_recus(page: Page, simulateur: str) -> list[str]:
    """The booking links in the SMS the simulator received, newest first."""
    r = await page.request.get(f"{simulateur}/_simulateur/sms")
    textes = [str(m.get("texte", "")) for m in await r.json()] if r.ok else []
    return [m.group(0) for t in reversed(textes) if (m := LIEN_RDV.search(t))]


async def _lien_ouvert(page: Page, base: str, liens: list[str]) -> str | None:
    """The first link whose page still offers slots to choose."""
    for lien in liens:
        r = await page.request.get(base + lien)
        if r.ok and "Choisissez votre rendez-vous" in await r.text():
            return base + lien
    return None


async def lien_rdv(page: Page, base: str, simulateur: str, fiches: list[str]) -> str:
    """A booking link as the person received it by SMS: an open one, else a new invitation."""
    if lien := await _lien_ouvert(page, base, await _liens_recus(page, simulateur)):
        return lien
    deja = set(await _liens_recus(page, simulateur))
    for fiche in fiches:
        await page.goto(fiche)
        pid = fiche.rsplit("/", 1)[1]
        entetes = json.loads(await page.locator("body").get_attribute("hx-headers") or "{}")
        r = await page.request.post(
            f"{base}/api/v1/parcours/{pid}/inviter-rdv",
            data={"motif": MOTIF, "canal": "sms"},
            headers=entetes,
        )
        if r.ok:
            break
    else:
        raise SystemExit("Aucun parcours de Claire Martin ne peut recevoir d'invitation par SMS")
    for _ in range(120):  # the worker sends the SMS: a few seconds
        nouveaux = [x for x in await _liens_recus(page, simulateur) if x not in deja]
        if nouveaux and (lien := await _lien_ouvert(page, base, nouveaux)):
            return lien
        await page.wait_for_timeout(500)
    raise SystemExit("Le SMS d'invitation n'est pas arrivé au simulateur")


async def noter(page: Page, fiche: str) -> None:
    """A note of the team on the parcours, once."""
    await page.goto(fiche)
    await _calme(page)
    if await page.locator("#notes", has_text=NOTE[:40]).count():
        return
    await page.fill("#note-texte", NOTE)
    await page.click("#note-nouvelle button[type=submit]")
    await page.locator("#notes", has_text=NOTE[:40]).wait_for()


async def referent(browser: Browser, base: str, sortie: Path) -> dict[str, str]:
    """The référent's screens; returns the pages the phone shows too."""
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

    diagnostic = await _premier_parcours(page, base, "phase=accueil", "enregistrer_diagnostic")
    await page.goto(diagnostic)
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

    await noter(page, fiche)
    await _voir(page, "#equipe")
    await page.screenshot(path=sortie / "equipe-notes.png")
    await page.context.close()
    return {"fiche": fiche, "diagnostic": diagnostic}


async def agenda(browser: Browser, base: str, simulateur: str, sortie: Path) -> None:
    """Slots and an invitation; the person books with the link on her phone; then the
    référent's agenda and notifications."""
    page = await connecter(browser, base, REFERENT)
    await preparer_agenda(page, base)
    await page.goto(f"{base}/agenda")  # who has an appointment already: invite someone else
    pris = await page.locator("main a[href^='/parcours/']").evaluate_all(
        "as => as.map(a => a.getAttribute('href'))"
    )
    await page.goto(f"{base}/?tri=nom")
    liens = page.locator("#tableau tbody a.fr-link")
    hrefs = [await liens.nth(i).get_attribute("href") for i in range(await liens.count())]
    fiches = [base + h for h in hrefs if h and h not in pris]
    lien = await lien_rdv(page, base, simulateur, fiches)

    personne = await nouvelle_page(browser, telephone=True)
    await personne.goto(lien)
    await _calme(personne)
    await cliche_telephone(personne, sortie, "rdv")
    await personne.locator("form button[type=submit]").first.click()
    await _calme(personne)
    await cliche_telephone(personne, sortie, "rdv-confirme")
    await personne.goto(lien)  # the same link now shows the appointment: move or cancel it
    await _calme(personne)
    await cliche_telephone(personne, sortie, "mon-rdv")
    await personne.context.close()

    await page.goto(f"{base}/agenda")
    await _calme(page)
    await page.screenshot(path=sortie / "agenda.png")
    await page.goto(f"{base}/notifications")
    await _calme(page)
    await page.screenshot(path=sortie / "notifications.png")
    await page.context.close()


DEBORDEMENTS: list[str] = []  # what is wider than the phone's screen, said at the end


async def cliche_telephone(page: Page, sortie: Path, nom: str) -> None:
    await page.screenshot(path=sortie / f"telephone-{nom}.png")
    if trop := await _trop_larges(page):
        DEBORDEMENTS.append(f"telephone-{nom}.png : {trop}")


async def telephone(browser: Browser, base: str, sortie: Path, pages: dict[str, str]) -> None:
    """The référent's screens on a phone."""
    page = await connecter(browser, base, REFERENT, telephone=True)
    await _calme(page)
    await cliche_telephone(page, sortie, "mes-parcours")
    await page.goto(pages["fiche"])
    await _calme(page)
    await cliche_telephone(page, sortie, "parcours")
    await page.goto(pages["fiche"] + "/carnet")
    await _calme(page)
    await cliche_telephone(page, sortie, "carnet")
    await page.goto(pages["diagnostic"])
    await _calme(page)
    await page.click('button[data-commande="enregistrer_diagnostic"]')
    await page.wait_for_selector("#formulaire-enregistrer_diagnostic")
    await _voir(page, "#formulaire")
    await cliche_telephone(page, sortie, "diagnostic")
    await page.goto(f"{base}/agenda")
    await _calme(page)
    await cliche_telephone(page, sortie, "agenda")
    await page.context.close()


async def _trop_larges(page: Page) -> str:
    """The page's width beyond the screen's, and what sticks out: texts and boxes outside any
    scrolling container (a table that scrolls in its frame is no fault), fixed ones aside."""
    return str(await page.evaluate(TROP_LARGES))


TROP_LARGES = """() => {
  const w = document.documentElement.clientWidth;
  const sw = document.documentElement.scrollWidth;
  if (sw <= w) return "";
  const libre = (e, texte) => {
    for (let p = e; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.position === "fixed" || s.visibility === "hidden") return false;
      if ((texte || p !== e) && s.overflowX !== "visible") return false;
    }
    return true;
  };
  const nom = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + [...e.classList].slice(0, 2).map(c => "." + c).join("");
  const trouves = new Map();
  const marcheur = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = marcheur.nextNode(); t; t = marcheur.nextNode()) {
    const texte = t.textContent.trim();
    if (!texte || !libre(t.parentElement, true)) continue;
    const r = document.createRange();
    r.selectNodeContents(t);
    const droite = r.getBoundingClientRect().right;
    if (droite > w + 1)
      trouves.set(t.parentElement, `« ${texte.slice(0, 60)} » dans ${nom(t.parentElement)}`
        + ` jusqu'à ${Math.round(droite)} px`);
  }
  for (const e of document.body.querySelectorAll("*")) {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > w + 1 && libre(e) && !trouves.has(e)
        && ![...trouves.keys()].some(k => e.contains(k) || k.contains(e)))
      trouves.set(e, `${nom(e)} jusqu'à ${Math.round(r.right)} px`);
  }
  return `page de ${sw} px pour ${w} px d'écran : ` + [...trouves.values()].slice(0, 4).join(" ; ");
}"""


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


async def administration(browser: Browser, base: str, sortie: Path) -> None:
    page = await connecter(browser, base, ADMINISTRATEUR)
    await page.goto(f"{base}/administration")
    await _calme(page)
    await page.screenshot(path=sortie / "administration-comptes.png")
    await page.goto(f"{base}/administration/audit")
    await _calme(page)
    await page.screenshot(path=sortie / "administration-audit.png")
    await page.context.close()


async def capturer(base: str, simulateur: str, sortie: Path, chromium: str) -> None:
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            pages = await referent(browser, base, sortie)
            await agenda(browser, base, simulateur, sortie)
            await telephone(browser, base, sortie, pages)
            await coordination(browser, base, sortie)
            await administration(browser, base, sortie)
        finally:
            await browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="Captures d'écran du cockpit.")
    parser.add_argument("url", nargs="?", default="http://localhost:8000")
    parser.add_argument("--simulateur", default="http://localhost:8100", help="ses SMS reçus")
    parser.add_argument("--sortie", type=Path, default=Path("docs/captures"))
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    args.sortie.mkdir(parents=True, exist_ok=True)
    asyncio.run(
        capturer(args.url.rstrip("/"), args.simulateur.rstrip("/"), args.sortie, args.chromium)
    )
    for image in sorted(args.sortie.glob("*.png")):
        print(image)
    for d in DEBORDEMENTS:
        print("Plus large que l'écran :", d)


if __name__ == "__main__":
    main()
