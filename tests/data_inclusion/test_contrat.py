"""The client and the simulator speak data·inclusion's contract: the recorded pages, Bearer
authentication, pagination, and the real errors (401, 429 with Retry-After, 5xx, malformed)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from temporalio.exceptions import ApplicationError

from activities.data_inclusion import ClientDataInclusion, attente_demandee
from simulator.data_inclusion import JeuDataInclusion, Reponse
from tests.data_inclusion.conftest import enregistrement
from tests.fixtures.simulateur import Simulateur

# The keys of a listed service in data·inclusion's own snapshot (gip-inclusion/data-inclusion
# d4969e37, api/tests/e2e/api/__snapshots__/test_inclusion_data.ambr, test_list_services_all).
CLES_SERVICE = {
    "adresse", "adresse_certifiee", "code_insee", "code_postal", "commune",
    "complement_adresse", "conditions_acces", "contact_nom_prenom", "courriel", "date_maj",
    "description", "frais", "frais_precisions", "horaires_accueil", "id", "latitude",
    "lien_mobilisation", "lien_source", "longitude", "mobilisable_par",
    "mobilisation_precisions", "modes_accueil", "modes_mobilisation", "nom", "nombre_semaines",
    "publics", "publics_precisions", "score_qualite", "source", "structure_id", "telephone",
    "thematiques", "type", "volume_horaire_hebdomadaire", "zone_eligibilite",
}  # fmt: skip
CLES_STRUCTURE = {
    "accessibilite_lieu", "adresse", "adresse_certifiee", "code_insee", "code_postal",
    "commune", "complement_adresse", "courriel", "date_maj", "description", "doublons",
    "horaires_accueil", "id", "latitude", "lien_source", "longitude", "nom",
    "reseaux_porteurs", "score_qualite", "siret", "site_web", "source", "telephone",
}  # fmt: skip


def test_les_enregistrements_ont_la_forme_du_reel() -> None:
    for nom in ("services-74-page-1.json", "services-74-page-2.json"):
        page = enregistrement(nom)
        assert set(page) == {"items", "total", "page", "size", "pages"}
        assert all(set(item) == CLES_SERVICE for item in page["items"])
    structures = enregistrement("structures-74-page-1.json")
    assert all(set(item) == CLES_STRUCTURE for item in structures["items"])


async def test_le_simulateur_sert_les_pages_enregistrees(
    jeu_di: JeuDataInclusion, simulateur: Simulateur
) -> None:
    async with httpx.AsyncClient(
        timeout=60, base_url=f"{simulateur.base_url}/data-inclusion"
    ) as http:
        for numero in (1, 2):
            r = await http.get(
                "/api/v1/services",
                params={"page": numero, "size": 2, "code_departement": "74"},
                headers={"Authorization": "Bearer dev-jeton-data-inclusion"},
            )
            assert r.json() == enregistrement(f"services-74-page-{numero}.json")
        sans_jeton = await http.get("/api/v1/services")
        assert sans_jeton.status_code == 401
        assert sans_jeton.json() == enregistrement("erreur-401-sans-jeton.json")
        assert sans_jeton.headers["WWW-Authenticate"] == "Bearer"
        trop = await http.get(
            "/api/v1/services",
            params={"size": 20000},
            headers={"Authorization": "Bearer dev-jeton-data-inclusion"},
        )
        assert trop.status_code == 422
        assert trop.json()["detail"][0]["loc"] == ["query", "size"]


async def test_le_client_lit_une_page_avec_son_jeton(
    jeu_di: JeuDataInclusion, client_di: ClientDataInclusion
) -> None:
    page = await client_di.page("services", page=2, taille=2, code_departement="74")
    assert (page.total, page.page, page.size, page.pages) == (3, 2, 1, 2)
    assert page.items[0]["id"] == "france-travail--ft-74281-accompagnement-global"
    assert jeu_di.appels[-1] == {"page": "2", "size": "2", "code_departement": "74"}


async def _erreur(client: ClientDataInclusion) -> ApplicationError:
    with pytest.raises(ApplicationError) as err:
        await client.page("services", page=1, taille=2, code_departement="74")
    return err.value


async def test_jeton_refuse_401_definitif(
    jeu_di: JeuDataInclusion, client_di: ClientDataInclusion
) -> None:
    for jeton in (None, "un-jeton-revoque"):
        config = dataclasses.replace(client_di.config, jeton=jeton)
        err = await _erreur(ClientDataInclusion(config, client_di.http))
        assert err.type == "RefusPartenaire"
        assert err.non_retryable
        assert "401" in err.message
        assert "PARTNER_DATA_INCLUSION_TOKEN" in err.message
        assert "un-jeton-revoque" not in err.message  # the token never shows


async def test_429_reessaye_apres_le_delai_demande(
    jeu_di: JeuDataInclusion, client_di: ClientDataInclusion
) -> None:
    jeu_di.programmer(Reponse(429, '{"detail":"Too Many Requests"}', {"Retry-After": "120"}))
    err = await _erreur(client_di)
    assert err.type == "PartenaireIndisponible"
    assert not err.non_retryable
    assert err.next_retry_delay == timedelta(seconds=120)
    # the next call is served normally
    page = await client_di.page("services", page=1, taille=2, code_departement="74")
    assert page.size == 2


def test_retry_after_en_date_http_et_illisible() -> None:
    maintenant = datetime(2026, 12, 2, 23, 0, tzinfo=UTC)
    assert attente_demandee("Wed, 02 Dec 2026 23:05:00 GMT", maintenant) == timedelta(minutes=5)
    assert attente_demandee("bientôt", maintenant) is None
    assert attente_demandee("999999", maintenant) == timedelta(hours=1)  # capped


@pytest.mark.parametrize("statut", [500, 502, 503])
async def test_5xx_reessaye(
    statut: int, jeu_di: JeuDataInclusion, client_di: ClientDataInclusion
) -> None:
    jeu_di.programmer(Reponse(statut, '{"detail":"Internal Server Error"}'))
    err = await _erreur(client_di)
    assert err.type == "PartenaireIndisponible"
    assert not err.non_retryable
    assert str(statut) in err.message


@pytest.mark.parametrize(
    "corps",
    [
        "<html>maintenance</html>",
        '{"items": "pas une liste", "total": 1, "page": 1, "size": 1, "pages": 1}',
        '{"results": [], "count": 0}',
        '[{"id": "x"}]',
    ],
)
async def test_corps_malforme_definitif(
    corps: str, jeu_di: JeuDataInclusion, client_di: ClientDataInclusion
) -> None:
    jeu_di.programmer(Reponse(200, corps))
    err = await _erreur(client_di)
    assert err.type == "ReponseMalformee"
    assert err.non_retryable


async def test_le_simulateur_par_defaut_sert_le_catalogue_du_fichier() -> None:
    jeu = JeuDataInclusion.du_catalogue()
    assert len(jeu.services) == 22
    assert "fle-annecy" in jeu.services


def _ids(page: dict[str, Any]) -> list[str]:
    return [i["id"] for i in page["items"]]
