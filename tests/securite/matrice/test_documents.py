"""The documents of a dossier (issue 17, item 3): whoever reads the dossier lists them, adds
one and downloads it, by the API and from the dossier's page."""

from __future__ import annotations

from tests.fixtures.plateforme import Plateforme
from tests.securite.matrice.commun import (
    LIRE_API,
    LIRE_PAGE,
    Cas,
    Lignes,
    Route,
    ecarts,
    est_un_pdf,
    req,
)
from tests.securite.matrice.dossier import DOCUMENT, Contexte

LIGNES: Lignes = {
    ("GET", "/api/v1/parcours/{parcours_id}/documents"): [
        Cas(
            "liste",
            LIRE_API,
            req("GET", "/api/v1/parcours/{pid}/documents"),
            voit=lambda r, c: c.document in [p["id"] for p in r.json()],
        )
    ],
    ("POST", "/api/v1/parcours/{parcours_id}/documents"): [
        Cas(
            "joindre un PDF",
            LIRE_API,
            req("POST", "/api/v1/parcours/{pid}/documents", json=DOCUMENT),
            ok=frozenset({201}),
        )
    ],
    ("GET", "/api/v1/parcours/{parcours_id}/documents/{piece_id}"): [
        Cas(
            "télécharger",
            LIRE_API,
            req("GET", "/api/v1/parcours/{pid}/documents/{document}"),
            controle=est_un_pdf,
        )
    ],
    ("GET", "/parcours/{parcours_id}/documents"): [
        Cas(
            "section",
            LIRE_PAGE,
            req("GET", "/parcours/{pid}/documents", htmx=True),
            controle=lambda r: "/documents/" in r.text,
        )
    ],
    ("POST", "/parcours/{parcours_id}/documents"): [
        Cas(
            "joindre un PDF",
            LIRE_PAGE,
            req("POST", "/parcours/{pid}/documents", data=DOCUMENT, htmx=True),
            controle=lambda r: "est joint au dossier" in r.text,
        )
    ],
}


async def test_matrice(plateforme: Plateforme, contexte: Contexte, route: Route) -> None:
    """One test per row of this file (conftest.py)."""
    probleme = await ecarts(plateforme, contexte, route, LIGNES[route])
    assert not probleme, probleme
