"""A client finds who it is and the ids that designations need, within its perimeter."""

from __future__ import annotations

from tests.fixtures.plateforme import Plateforme

CLAIRE, COORD_CHABLAIS, ADMIN = "ref-claire-martin", "coord-chablais", "admin"


async def test_qui_suis_je(plateforme: Plateforme) -> None:
    async with plateforme.client(CLAIRE) as claire:
        r = await claire.get("/api/v1/moi")
    assert r.status_code == 200, r.text
    assert r.json() == {
        "id": CLAIRE,
        "nom": "Claire Martin",
        "role": "referent",
        "organisme": "conseil_departemental",
        "territoire": "bassin_annecien",
    }


async def test_annuaire_limite_au_territoire(plateforme: Plateforme) -> None:
    async with plateforme.client(CLAIRE) as claire:
        r = await claire.get("/api/v1/referents", params={"organisme": "france_travail"})
        assert r.status_code == 200, r.text
        assert [x["id"] for x in r.json()] == ["ref-karim-benali"]
        organismes = (await claire.get("/api/v1/organismes")).json()
        assert {o["organisme"] for o in organismes} >= {"france_travail", "mission_locale"}
        assert all(o["territoires"] == ["bassin_annecien"] for o in organismes)
    async with plateforme.client(COORD_CHABLAIS) as coord:
        r = await coord.get("/api/v1/referents")
        assert {x["territoire"] for x in r.json()} == {"chablais"}
        r = await coord.get("/api/v1/referents", params={"territoire": "bassin_annecien"})
        assert r.status_code == 403, r.text
        assert r.json()["erreurs"][0]["champ"] == "territoire"
    async with plateforme.client(ADMIN) as admin:
        r = await admin.get("/api/v1/referents")
        assert len({x["territoire"] for x in r.json()}) == 4
