"""The accueil opens the parcours on the bassin of the person's commune; the coordination may
choose another one, saying why (issue 16, item 3)."""

from __future__ import annotations

import secrets
from datetime import date

from tests.api import donnees
from tests.fixtures.plateforme import Plateforme

COORD = "coord-bassin_annecien"


async def test_bassin_deduit_de_la_commune_ou_choisi_avec_un_motif(plateforme: Plateforme) -> None:
    corps = donnees.accueil(date.today(), nom="Bassin" + secrets.token_hex(4).upper())
    corps.pop("territoire")
    corps["usager"] |= {"commune": "SEYNOD", "code_postal": "74600"}  # Annecy commune nouvelle
    async with plateforme.client(COORD) as coord:
        r = await coord.post("/api/v1/parcours", json=corps)
        assert r.status_code == 201, r.text
        assert r.json()["etat"]["accueil"]["territoire"] == "bassin_annecien"

        ailleurs = donnees.accueil(date.today(), nom="Bassin" + secrets.token_hex(4).upper())
        ailleurs["usager"] |= {"commune": "Thonon-les-Bains", "code_postal": "74200"}
        r = await coord.post("/api/v1/parcours", json=ailleurs)
        assert r.status_code == 422, r.text
        assert r.json()["erreurs"][0]["champ"] == "motif_bassin"
        assert "Chablais" in r.json()["message"]

        motif = "Hébergée chez sa sœur à Annecy pendant sa formation"
        r = await coord.post("/api/v1/parcours", json=ailleurs | {"motif_bassin": motif})
        assert r.status_code == 201, r.text
        assert r.json()["etat"]["accueil"]["territoire"] == "bassin_annecien"
