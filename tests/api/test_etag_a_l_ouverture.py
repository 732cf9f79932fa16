"""Opening a parcours is a write like any other: its answer carries the ETag a client sends
back in If-Match with its first command, without reading the parcours again."""

from __future__ import annotations

from datetime import date

from tests.api import donnees
from tests.fixtures.plateforme import Plateforme

KARIM = "ref-karim-benali"


async def test_l_accueil_renvoie_son_etag(plateforme: Plateforme) -> None:
    jour = date.today()
    async with plateforme.client(KARIM) as karim:
        cree = await karim.post(
            "/api/v1/parcours", json=donnees.accueil(jour, nom="Etag") | {"doublon_confirme": True}
        )
        assert cree.status_code == 201, cree.text
        assert cree.headers.get("ETag") == f'"{cree.json()["etat"]["version_metier"]}"', (
            cree.headers
        )
        pid = cree.json()["id"]
        r = await karim.post(
            f"/api/v1/parcours/{pid}/enregistrer-diagnostic",
            json=donnees.diagnostic(jour),
            headers={"If-Match": cree.headers["ETag"]},
        )
        assert r.status_code == 200, r.text
