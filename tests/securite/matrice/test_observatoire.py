"""The observatoire: its indicators by the API, its page and its exports."""

from __future__ import annotations

from tests.fixtures.plateforme import Plateforme
from tests.securite.matrice.commun import (
    COORD_API,
    COORD_PAGE,
    TERRITOIRE_API,
    TERRITOIRE_PAGE,
    Cas,
    Lignes,
    Route,
    ecarts,
    req,
)
from tests.securite.matrice.dossier import Contexte

LIGNES: Lignes = {
    ("GET", "/api/v1/observatoire/indicateurs"): [
        Cas(
            "indicateurs",
            COORD_API,
            req("GET", "/api/v1/observatoire/indicateurs", params={"code": "stock_phase"}),
        ),
        Cas(
            "filtre sur le Bassin annécien",
            TERRITOIRE_API,
            req(
                "GET",
                "/api/v1/observatoire/indicateurs",
                params={"code": "stock_phase", "territoire": "bassin_annecien"},
            ),
        ),
    ],
    # Cockpit: the observatoire and its exports.
    ("GET", "/observatoire"): [
        Cas("page", COORD_PAGE, req("GET", "/observatoire")),
        Cas(
            "filtre sur le Bassin annécien",
            TERRITOIRE_PAGE,
            req("GET", "/observatoire", params={"territoire": "bassin_annecien"}),
        ),
    ],
    ("GET", "/observatoire/export/evolution.csv"): [
        Cas("évolution", COORD_PAGE, req("GET", "/observatoire/export/evolution.csv")),
        Cas(
            "filtre sur le Bassin annécien",
            TERRITOIRE_PAGE,
            req(
                "GET",
                "/observatoire/export/evolution.csv",
                params={"territoire": "bassin_annecien"},
            ),
        ),
    ],
    ("GET", "/observatoire/export/{code}.csv"): [
        Cas("un tableau", COORD_PAGE, req("GET", "/observatoire/export/stock_phase.csv")),
        Cas(
            "filtre sur le Bassin annécien",
            TERRITOIRE_PAGE,
            req(
                "GET",
                "/observatoire/export/stock_phase.csv",
                params={"territoire": "bassin_annecien"},
            ),
        ),
    ],
}


async def test_matrice(plateforme: Plateforme, contexte: Contexte, route: Route) -> None:
    """One test per row of this file (conftest.py)."""
    probleme = await ecarts(plateforme, contexte, route, LIGNES[route])
    assert not probleme, probleme
