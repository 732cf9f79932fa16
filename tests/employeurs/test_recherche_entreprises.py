"""The connector to the national company directory, on answers recorded in the API's
documented form: what it reads from them, what it asks, what it does when the API fails."""

from __future__ import annotations

import httpx
import pytest

from employeurs.recherche_entreprises import AnnuaireIndisponible, chercher, lire_reponse
from tests.employeurs.reponses import lue, recherche_entreprises

THONON = "41852963200022"  # an establishment (not the siège) of the recorded answer
BASE = "https://recherche-entreprises.test"


def test_l_etablissement_du_siret_et_non_le_siege() -> None:
    etab = lire_reponse(lue(f"recherche_entreprises_{THONON}.json"), THONON)
    assert etab is not None
    assert (etab.nom, etab.naf, etab.commune_insee, etab.code_postal) == (
        "LES BALCONS DU LEMAN",  # its sign, not the legal unit's name
        "87.10A",
        "74281",
        "74200",
    )
    assert etab.adresse == "12 AVENUE DE CHAMPAGNE 74200 THONON-LES-BAINS"
    assert (etab.latitude, etab.longitude) == (46.370124, 6.478911)
    assert etab.ouvert
    siege = lire_reponse(lue(f"recherche_entreprises_{THONON}.json"), "41852963200014")
    assert siege is not None
    assert siege.commune == "ANNECY"
    assert siege.nom == "RESIDENCE LES BALCONS DU LEMAN"


def test_siret_inconnu() -> None:
    assert lire_reponse(lue("recherche_entreprises_vide.json"), THONON) is None
    # an answer about another establishment does not give its address to ours
    assert lire_reponse(lue(f"recherche_entreprises_{THONON}.json"), "77567227200017") is None


async def test_ce_qui_est_demande() -> None:
    appels: list[httpx.Request] = []
    async with httpx.AsyncClient(timeout=60, transport=recherche_entreprises(appels)) as http:
        etab = await chercher(http, BASE + "/", THONON)
    assert etab is not None
    assert etab.siret == THONON
    (appel,) = appels
    assert appel.url.path == "/search"
    assert dict(appel.url.params) == {"q": THONON, "page": "1", "per_page": "1"}


@pytest.mark.parametrize(
    "reponse",
    [httpx.Response(503, text="maintenance"), httpx.Response(200, text="<html>")],
)
async def test_annuaire_en_panne(reponse: httpx.Response) -> None:
    transport = httpx.MockTransport(lambda _: reponse)
    async with httpx.AsyncClient(timeout=60, transport=transport) as http:
        with pytest.raises(AnnuaireIndisponible):
            await chercher(http, BASE, THONON)
