"""The answer page of a structure's orientation (ticket 20, item 2), opened by its link only."""

from __future__ import annotations

from tests.fixtures.plateforme import Plateforme
from tests.securite.matrice.commun import (
    Cas,
    Lignes,
    Route,
    ecarts,
    ligne,
    req,
)
from tests.securite.matrice.dossier import Contexte

# --- connecteur orientation ---
# The answer page of a structure's orientation (ticket 20, item 2): its link is the only key.
# The person's carnet link is not one, nor any account: every cell is the same 404 as for a
# link that never existed (tests/orientation checks that an expired one answers the same).
ORIENTATION_PAR_LIEN = ligne("404 404 404 404 404 404 404 404 404 404 404")


def _orientation_structure() -> Lignes:
    refus = {"decision": "refusee", "motifs_refus": "session-complète"}
    return {
        ("GET", "/orientation/{jeton}"): [
            Cas("demande d'orientation", ORIENTATION_PAR_LIEN, req("GET", "/orientation/{lien}"))
        ],
        ("POST", "/orientation/{jeton}"): [
            Cas(
                "répondre à l'orientation",
                ORIENTATION_PAR_LIEN,
                req("POST", "/orientation/{lien}", data=refus),
            )
        ],
    }


LIGNES: Lignes = _orientation_structure()


async def test_matrice(plateforme: Plateforme, contexte: Contexte, route: Route) -> None:
    """One test per row of this file (conftest.py)."""
    probleme = await ecarts(plateforme, contexte, route, LIGNES[route])
    assert not probleme, probleme
