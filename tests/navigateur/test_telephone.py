"""On a 390 × 844 phone (issue 22): the booking page of an invitation says each day's place
once, above its hours, and shows « 9 h 00 » whole; « Mes parcours » has no select whose
chosen label is cut, and no page slides sideways."""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import AsyncIterator
from datetime import date

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, expect

from tests.api import donnees
from tests.cockpit.conftest import CLAIRE as CLAIRE_ID
from tests.cockpit.conftest import ouvrir, stable
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from tests.navigateur.conftest import htmx_au_repos, se_connecter

pytestmark = pytest.mark.browser
# A référent of their own (the agenda tests share the platform, each with its référent).
YANN = "ref-yann-garnier"
LIEN = re.compile(r"/rdv/([A-Za-z0-9_-]{40,})")
LIEU = {
    "nom": "Antenne de Thonon",
    "adresse": "2 rue de l'Hôtel-Dieu",
    "code_postal": "74200",
    "commune": "Thonon-les-Bains",
}
CLAIRE = "claire.martin@hautesavoie.fr"


@pytest_asyncio.fixture
async def telephone(chromium: Browser) -> AsyncIterator[Page]:
    ctx = await chromium.new_context(
        viewport={"width": 390, "height": 844}, locale="fr-FR", is_mobile=True, has_touch=True
    )
    ctx.set_default_timeout(15_000)
    yield await ctx.new_page()
    await ctx.close()


async def _attendre_le_lien(simulateur: Simulateur, numero: str) -> str:
    limite = asyncio.get_running_loop().time() + 30
    while True:
        for sms in await simulateur.sms(telephone=numero):
            if trouve := LIEN.search(sms["texte"]):
                return trouve.group(0)
        assert asyncio.get_running_loop().time() < limite, "pas de SMS d'invitation"
        await asyncio.sleep(0.2)


async def _invitation(plateforme: Plateforme, simulateur: Simulateur) -> str:
    """Yann's mornings at one place, 9 h to 10 h 30 every weekday; a person he invites."""
    n = secrets.randbelow(10**6)
    numero = f"06 {n // 10**4:02d} {n // 100 % 100:02d} {n % 100:02d} 13"
    async with plateforme.client(YANN) as yann:
        lieux = (await yann.get("/api/v1/agenda/lieux")).json()
        lieu = next((x["id"] for x in lieux if x["nom"] == LIEU["nom"]), None)
        if lieu is None:
            r = await yann.post("/api/v1/agenda/lieux", json=LIEU)
            assert r.status_code == 201, r.text
            lieu = r.json()["id"]
        plages = (await yann.get("/api/v1/agenda/plages")).json()
        for jour in "01234" if not plages else "":
            plage = {
                "jour": jour,
                "debut": "09:00",
                "fin": "10:30",
                "modalite": "sur_place",
                "lieu_id": lieu,
                "motifs": ["accompagnement"],
                "du": date.today().isoformat(),
            }
            r = await yann.post("/api/v1/agenda/plages", json=plage)
            assert r.status_code == 201, r.text
        corps = donnees.accueil(
            date.today(), nom="Telephone", telephone=numero, email=f"tel.{n}@example.org"
        )
        corps |= {"territoire": "chablais", "doublon_confirme": True}
        corps["usager"] |= {"code_postal": "74200", "commune": "Thonon-les-Bains"}
        r = await yann.post("/api/v1/parcours", json=corps)
        assert r.status_code == 201, r.text
        pid = r.json()["id"]
        r = await yann.post(f"/api/v1/parcours/{pid}/inviter-rdv", json={"motif": "accompagnement"})
        assert r.status_code == 200, r.text
    return await _attendre_le_lien(simulateur, numero)


async def _deborde(page: Page) -> int:
    return int(await page.evaluate("document.documentElement.scrollWidth"))


async def test_reservation_au_telephone(
    telephone: Page, plateforme: Plateforme, simulateur: Simulateur
) -> None:
    lien = await _invitation(plateforme, simulateur)
    page = telephone
    limite = asyncio.get_running_loop().time() + 30
    while (await page.goto(plateforme.base_url + lien)).status != 200:  # type: ignore[union-attr]
        assert asyncio.get_running_loop().time() < limite, "la page de réservation ne s'ouvre pas"
        await asyncio.sleep(0.5)
    await expect(page.get_by_role("heading", name="Choisissez votre rendez-vous")).to_be_visible()
    assert await _deborde(page) <= 390
    adresse = f"{LIEU['adresse']}, {LIEU['code_postal']} {LIEU['commune']}"
    jours = page.locator("main h2")
    assert await jours.count() >= 1
    # The place once a day, not under each of the day's six hours.
    assert await page.get_by_text(adresse).count() == await jours.count()
    premiere = page.get_by_role("button", name=re.compile(r"à 9\s?h\s?00")).first
    await expect(premiere).to_have_text("9\u00a0h\u00a000")
    # The day's hours side by side, on one line under their place.
    hauts = [
        round((await b.bounding_box() or {"y": 0})["y"])
        for b in await page.locator("main ul.creneaux").first.get_by_role("button").all()
    ]
    assert len(hauts) == 3, hauts
    assert len(set(hauts)) == 1, hauts


# Per select: the options whose label is wider than the room the select gives it (its inner
# width less the padding that holds the arrow), measured in the select's own font. A select
# already as wide as its form can give no more room: a longer label is the phone's own picker's
# to show whole (it does, over several lines).
TRONQUES = """() => {
    const mesure = document.createElement('canvas').getContext('2d');
    return [...document.querySelectorAll('main select')].flatMap(s => {
        const style = getComputedStyle(s);
        mesure.font = style.font;
        const place = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        const pleine = s.offsetWidth >= s.closest('form').clientWidth - 1;
        return [...s.options]
            .filter(o => mesure.measureText(o.text).width > place + 0.5)
            .filter(o => !pleine || o.selected)
            .map(o => `${s.id || s.name} : « ${o.text} »`);
    });
}"""


async def test_mes_parcours_au_telephone(telephone: Page, plateforme: Plateforme) -> None:
    page = telephone
    await se_connecter(page, plateforme, CLAIRE)
    await page.get_by_role("button", name="Filtres et tri").click()  # folded on a phone
    await expect(page.locator("main select").first).to_be_visible()
    await htmx_au_repos(page, "#tableau")
    assert await _deborde(page) <= 390
    tronques = await page.evaluate(TRONQUES)
    assert tronques == [], "\n".join(tronques)


async def test_mes_parcours_commence_par_la_liste_au_telephone(
    telephone: Page, plateforme: Plateforme
) -> None:
    """The filters no longer fill the first screen: folded behind « Filtres et tri », whose
    state a screen reader hears (aria-expanded), opened with the keyboard; the first parcours
    of the list shows without scrolling. A chosen filter opens them at once."""
    async with plateforme.client(CLAIRE_ID) as claire:
        pid = await ouvrir(claire)  # at least one parcours in her list
        await stable(claire, pid)
    page = telephone
    await se_connecter(page, plateforme, CLAIRE)
    await htmx_au_repos(page, "#tableau")
    bouton = page.get_by_role("button", name="Filtres et tri")
    await expect(bouton).to_have_attribute("aria-expanded", "false")
    await expect(page.get_by_label("Phase", exact=True)).to_be_hidden()
    premiere = page.locator("#tableau tbody tr a[href^='/parcours/']").first
    await expect(premiere).to_be_visible()
    boite = await premiere.bounding_box()
    assert boite is not None
    assert await page.evaluate("window.scrollY") == 0
    assert boite["y"] + boite["height"] <= 844, f"première ligne à {boite['y']:.0f} px"

    await bouton.focus()
    await page.keyboard.press("Enter")
    await expect(bouton).to_have_attribute("aria-expanded", "true")
    await expect(page.get_by_label("Phase", exact=True)).to_be_visible()
    await page.keyboard.press("Enter")
    await expect(bouton).to_have_attribute("aria-expanded", "false")

    await page.goto(plateforme.base_url + "/?phase=accueil")
    await expect(bouton).to_have_attribute("aria-expanded", "true")
    await expect(page.get_by_label("Phase", exact=True)).to_have_value("accueil")
    await expect(page.get_by_label("Phase", exact=True)).to_be_visible()


async def test_les_filtres_restent_ouverts_sur_grand_ecran(
    page: Page, plateforme: Plateforme
) -> None:
    await se_connecter(page, plateforme, CLAIRE)
    await expect(page.get_by_label("Phase", exact=True)).to_be_visible()
    await expect(page.get_by_role("button", name="Filtres et tri")).to_be_hidden()
