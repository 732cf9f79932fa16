"""axe-core on every page (issue 22, « What it must show »): the cockpit's pages beyond the
main ones (tests/navigateur/test_ergonomie.py), the administration's, the public pages, the
error page, and the person's own pages reached by a link (carnet, booking: choose, confirmed,
my appointment), those at 1280 px and on a 390 × 844 phone. No critical or serious violation."""

from __future__ import annotations

import asyncio
import re
import secrets
from datetime import date

import pytest
from playwright.async_api import Browser, Page

from tests.api import donnees
from tests.cockpit.conftest import CLAIRE, commande, ouvrir, stable
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from tests.navigateur.axe_core import (
    BUREAU,
    TELEPHONE,
    Releve,
    contexte_sans_csp,
)
from tests.navigateur.conftest import se_connecter
from tests.navigateur.test_telephone import _invitation

pytestmark = pytest.mark.browser
EMAIL_CLAIRE = "claire.martin@hautesavoie.fr"
ADMINISTRATION = "admin@spie74.fr"
LIEN_CARNET = re.compile(r"/carnet/[A-Za-z0-9_-]{40,}")
PUBLIQUES = ("/mentions-legales", "/donnees-personnelles", "/accessibilite", "/rdv")
REFERENTE = (
    "/parcours/nouveau",
    "/agenda",
    "/notifications",
    "/notifications/preferences",
    "/rattachement",
    "/compte/jetons",
)
ADMIN = (
    "/administration",
    "/administration/messages",
    "/administration/structures/nouvelle",
    "/administration/comptes/nouveau",
    "/administration/audit",
    "/imports",
)


class Visite(Releve):
    """Pages opened by their address, each checked as soon as it is loaded."""

    def __init__(self, page: Page, base: str) -> None:
        super().__init__(page, attendre_le_dsfr=False)
        self.base = base

    async def visiter(self, chemin: str, statut: int = 200) -> None:
        reponse = await self.page.goto(self.base + chemin)
        assert reponse is not None, chemin
        assert reponse.status == statut, chemin
        await self.verifier(chemin)


async def _premier_lien(page: Page, prefixe: str) -> str:
    lien = await page.locator(f'main a[href^="{prefixe}"]').first.get_attribute("href")
    assert lien, f"aucun lien {prefixe}… sur {page.url}"
    return lien


async def test_axe_sur_les_autres_pages_du_cockpit(
    page_sans_csp: Page, plateforme: Plateforme
) -> None:
    async with plateforme.client(CLAIRE) as api:  # her lists and notifications hold one
        await stable(api, await ouvrir(api))
    releve = Visite(page_sans_csp, plateforme.base_url)
    for chemin in PUBLIQUES:
        await releve.visiter(chemin)
    await releve.visiter("/page-qui-n-existe-pas", statut=404)
    await se_connecter(page_sans_csp, plateforme, EMAIL_CLAIRE)
    for chemin in REFERENTE:
        await releve.visiter(chemin)
    await page_sans_csp.context.clear_cookies()
    await se_connecter(page_sans_csp, plateforme, ADMINISTRATION)
    for chemin in ADMIN:
        await releve.visiter(chemin)
    await releve.visiter("/administration")
    for prefixe in ("/administration/comptes/", "/administration/structures/"):
        lien = await _premier_lien(page_sans_csp, prefixe)
        await releve.visiter(lien)
        await releve.visiter("/administration")
    releve.rien()


async def _lien_du_carnet(plateforme: Plateforme, simulateur: Simulateur) -> str:
    n = secrets.randbelow(10**6)
    numero = f"06 {n // 10**4:02d} {n // 100 % 100:02d} {n % 100:02d} 17"
    async with plateforme.client(CLAIRE) as api:
        corps = donnees.accueil(date.today(), nom="Axe", telephone=numero)
        r = await api.post("/api/v1/parcours", json=corps | {"doublon_confirme": True})
        assert r.status_code == 201, r.text
        pid = r.json()["id"]
        await stable(api, pid)
        await commande(api, pid, "envoyer_lien_carnet", {"canal": "sms"})
    limite = asyncio.get_running_loop().time() + 30
    while True:
        for sms in await simulateur.sms(telephone=numero):
            if trouve := LIEN_CARNET.search(sms["texte"]):
                return trouve.group(0)
        assert asyncio.get_running_loop().time() < limite, "pas de SMS avec le lien du carnet"
        await asyncio.sleep(0.2)


async def _ouverte(page: Page, chemin: str) -> None:
    """A link works once the read model has it (a few hundred ms after the command)."""
    limite = asyncio.get_running_loop().time() + 30
    while (reponse := await page.goto(chemin)) is None or reponse.status != 200:
        assert asyncio.get_running_loop().time() < limite, f"{chemin} ne s'ouvre pas"
        await asyncio.sleep(0.5)


@pytest.mark.parametrize("ecran", [BUREAU, TELEPHONE], ids=["bureau", "telephone"])
async def test_axe_sur_les_pages_de_la_personne(
    chromium: Browser, plateforme: Plateforme, simulateur: Simulateur, ecran: dict[str, int]
) -> None:
    carnet = await _lien_du_carnet(plateforme, simulateur)
    rdv = await _invitation(plateforme, simulateur)
    ctx = await contexte_sans_csp(chromium, ecran)  # no account, no cookie: the person
    try:
        page = await ctx.new_page()
        releve = Visite(page, plateforme.base_url)
        await _ouverte(page, plateforme.base_url + carnet)
        await releve.verifier("carnet de la personne")
        await _ouverte(page, plateforme.base_url + rdv)
        await releve.verifier("choix d'un créneau")
        # the last slot offered: days away, still movable (24 h before, rules/rendez_vous.yaml)
        await page.locator("main form button[type=submit]").last.click()
        await page.get_by_role("heading", name="Votre rendez-vous est confirmé").wait_for()
        await releve.verifier("rendez-vous confirmé")
        await _ouverte(page, plateforme.base_url + rdv)
        await page.get_by_role("heading", name="Déplacer le rendez-vous").wait_for()
        await releve.verifier("mon rendez-vous")
        releve.rien()
    finally:
        await ctx.close()
