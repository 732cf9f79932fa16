"""Applying an htmx fragment gives the same element as a full reload of the page: for the
parcours page, the list, and the coordination page (each part, with and without filters)."""

from __future__ import annotations

import httpx
import pytest

from tests.cockpit.conftest import COORD, HTMX
from tests.cockpit.html import element, racines
from tests.fixtures.plateforme import Plateforme

SECTIONS_FICHE = ("situation", "dossier", "commandes", "timeline")
SECTIONS_COORDINATION = ("carte", "ruptures", "incidents", "parcours", "a_rapprocher")


async def _identiques(client: httpx.AsyncClient, page: str, fragment: str, ident: str) -> str:
    complete = await client.get(page)
    partiel = await client.get(fragment, headers=HTMX)
    assert complete.status_code == 200, complete.text
    assert partiel.status_code == 200, partiel.text
    assert racines(partiel.text) == [f"{racines_tag(partiel.text)}#{ident}"]
    assert element(partiel.text, ident) == element(complete.text, ident)
    return partiel.text


def racines_tag(html: str) -> str:
    return racines(html)[0].split("#")[0]


@pytest.mark.parametrize("section", SECTIONS_FICHE)
async def test_fiche_fragment_egal_rechargement(
    claire: httpx.AsyncClient, en_rupture: str, section: str
) -> None:
    base = f"/parcours/{en_rupture}"
    await _identiques(claire, base, f"{base}/fragments/{section}", section)


async def test_fil_filtre_par_categorie(claire: httpx.AsyncClient, en_contrat: str) -> None:
    base = f"/parcours/{en_contrat}"
    html = await _identiques(
        claire,
        f"{base}?categorie=contrat",
        f"{base}/fragments/timeline?categorie=contrat",
        "timeline",
    )
    assert "Contrat d&#39;engagement réciproque (CER) rédigé" in html or "rédigé" in html
    assert "Accueil (orientée" not in html


async def test_liste_fragment_egal_rechargement(claire: httpx.AsyncClient, en_rupture: str) -> None:
    for query in ("", "?statut=en_rupture", "?tri=nom&descendant=true", "?phase=accueil&q=cockpit"):
        await _identiques(claire, f"/{query}", f"/parcours/tableau{query}", "tableau")


@pytest.mark.parametrize("section", SECTIONS_COORDINATION)
async def test_coordination_fragment_egal_rechargement(
    plateforme: Plateforme, en_rupture: str, section: str
) -> None:
    async with plateforme.client(COORD) as coord:
        for query in (
            "",
            "?phase=accueil&statut=en_rupture",
            "?motif=echeance_depassee&anciennete=7",
        ):
            await _identiques(
                coord, f"/coordination{query}", f"/coordination/fragments/{section}{query}", section
            )


async def test_la_carte_compte_et_filtre(plateforme: Plateforme, en_rupture: str) -> None:
    """The map's cell links to the list filtered on that phase and status, which shows it."""
    async with plateforme.client(COORD) as coord:
        carte = (await coord.get("/coordination/fragments/carte", headers=HTMX)).text
        assert "/coordination?phase=accueil&amp;statut=en_rupture" in carte
        liste = (await coord.get("/coordination?phase=accueil&statut=en_rupture")).text
        assert en_rupture in element(liste, "parcours")
        assert "Diagnostic à réaliser : échéance dépassée" in element(liste, "ruptures")
