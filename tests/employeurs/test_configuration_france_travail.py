"""The import of France Travail's offers is configured by the environment only: off when
empty; in production, half set, a local or http address, or a short secret is refused."""

from __future__ import annotations

import pytest

from core.production import refus_production
from core.settings import Settings
from tests.deploy.configuration import configuration_complete

REEL = {
    "FRANCE_TRAVAIL_OFFRES_URL": "https://api.francetravail.io/partenaire/offresdemploi",
    "FRANCE_TRAVAIL_JETON_URL": "https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=%2Fpartenaire",
    "FRANCE_TRAVAIL_CLIENT_ID": "PAR_parcoursspie74_0123456789abcdef",
    "FRANCE_TRAVAIL_CLIENT_SECRET": "9f3b27c1d4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1",
}


def refusees(env: dict[str, str]) -> dict[str, str]:
    return {r.variable: r.probleme for r in refus_production(Settings.model_validate(env), env)}


def test_sans_import_ou_bien_regle_la_production_demarre() -> None:
    assert refusees(configuration_complete()) == {}
    assert refusees({**configuration_complete(), **REEL}) == {}


@pytest.mark.parametrize(
    ("reglage", "refusee"),
    [
        ({"FRANCE_TRAVAIL_CLIENT_SECRET": ""}, "FRANCE_TRAVAIL_CLIENT_SECRET"),
        ({"FRANCE_TRAVAIL_CLIENT_SECRET": "court"}, "FRANCE_TRAVAIL_CLIENT_SECRET"),
        ({"FRANCE_TRAVAIL_OFFRES_URL": "http://localhost:8100/ft"}, "FRANCE_TRAVAIL_OFFRES_URL"),
        ({"FRANCE_TRAVAIL_JETON_URL": "http://ft.example.fr/jeton"}, "FRANCE_TRAVAIL_JETON_URL"),
    ],
)
def test_reglages_de_developpement_refuses(reglage: dict[str, str], refusee: str) -> None:
    refus = refusees({**configuration_complete(), **REEL, **reglage})
    assert list(refus) == [refusee]
    assert REEL["FRANCE_TRAVAIL_CLIENT_SECRET"] not in refus[refusee]
