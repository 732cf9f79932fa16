"""A coordinator in a real browser: a partner's « contrat rompu » sent by the simulator makes
a parcours « en rupture » on the coordination page without a reload; an incident left by a
partner outage is retried from the page once the simulator is healthy again."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from tests import factories
from tests.api import donnees
from tests.cockpit.conftest import COORD, nom_unique, stable
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from tests.navigateur.conftest import DELAI_MS, se_connecter
from tests.navigateur.incidents import incident_france_travail
from tests.partenaires.outils import attendre

pytestmark = pytest.mark.browser
EMAIL = "anne.lefevre@spie74.fr"
SIGNALEMENT = "Signalement partenaire sans action depuis 15 jours"


async def _projete(api: httpx.AsyncClient, nom: str) -> dict[str, Any]:
    """Wait until the read model lists the parcours (partner events are routed through it)."""

    async def lister() -> dict[str, Any] | None:
        items = (await api.get("/api/v1/parcours", params={"q": nom})).json()["items"]
        return items[0] if items else None

    return await attendre(lister, f"parcours {nom} projeté", delai_s=20)


async def test_rupture_apres_un_evenement_partenaire(
    page: Page, plateforme: Plateforme, simulateur: Simulateur
) -> None:
    salarie = f"73282932000074:N-{uuid.uuid4().hex[:10]}"
    nom = nom_unique()
    async with plateforme.client(factories.CLAIRE.id) as api:
        corps = donnees.accueil(date.today(), nom=nom) | {"identifiants": {"salarie": salarie}}
        cree = await api.post("/api/v1/parcours", json=corps | {"doublon_confirme": True})
        assert cree.status_code == 201, cree.text
        await _projete(api, nom)

    await se_connecter(page, plateforme, EMAIL)
    await page.goto(f"{plateforme.base_url}/coordination")
    ruptures = page.locator("#ruptures")
    await expect(ruptures).to_be_visible()
    await expect(ruptures).not_to_contain_text(nom.upper())

    il_y_a_20_jours = datetime.now(UTC) - timedelta(days=20)
    envoi = await simulateur.evenement(
        "employeur",
        "fr.employeur.contrat.rompu",
        salarie,
        {"date": il_y_a_20_jours.date().isoformat(), "motif": "Fin de mission anticipée"},
        time=il_y_a_20_jours.isoformat(),
    )
    assert envoi["statut_http"] == 202, envoi

    # no reload: the section refreshes itself within its polling period
    groupe = ruptures.locator(".groupe-motif", has_text=SIGNALEMENT)
    await expect(groupe).to_contain_text(nom.upper(), timeout=DELAI_MS)
    await expect(groupe).to_contain_text("Rupture")
    await expect(page.locator("#carte")).to_contain_text("en rupture")


async def test_relancer_un_incident_apres_la_panne(
    page: Page, plateforme: Plateforme, simulateur: Simulateur
) -> None:
    await simulateur.mode("france-travail", "panne")
    pid, nom, ouvert = await incident_france_travail(plateforme)

    await se_connecter(page, plateforme, EMAIL)
    await page.goto(f"{plateforme.base_url}/coordination")
    incidents = page.locator("#incidents")
    await expect(incidents).to_contain_text(nom, timeout=DELAI_MS)
    await expect(incidents).to_contain_text("France Travail")

    await simulateur.mode("france-travail", "normal")
    await page.click(f"#relancer-{ouvert['id']}")
    # Said beside the buttons (issue 22, item 5), in a live region the refresh keeps.
    annonce = incidents.locator("#annonce-incidents[aria-live=polite]")
    await expect(annonce).to_contain_text("c'est enregistré")
    # (That it stays in view is test_ecrans22.test_tout_relancer_repond_sous_les_yeux.)
    await expect(incidents).not_to_contain_text(nom, timeout=DELAI_MS)
    await expect(annonce).to_contain_text("c'est enregistré")
    async with plateforme.client(COORD) as coord:
        await stable(coord, pid)
        etat = (await coord.get(f"/api/v1/parcours/{pid}")).json()
        assert etat["etat"]["incidents"][0]["statut"] == "resolu"
        assert etat["statut"] != "en_incident"
    assert len(await simulateur.recus("france-travail", "notifier_orientation")) >= 1
