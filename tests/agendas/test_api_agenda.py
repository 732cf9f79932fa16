"""A référent publishes their agenda through the API: a place of their structure, weekly
plages, leave; mistyped entries are refused naming the field, and nothing is written."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rules.calendrier import jours_feries_france
from tests.fixtures.plateforme import Plateforme

# The platform is shared by the tests of a session: each test has its own référent.
CLAIRE, MARC, COORD = "ref-claire-martin", "ref-marc-roux", "coord-bassin_annecien"
SOPHIE, KARIM = "ref-sophie-girard", "ref-karim-benali"
LIEU = {
    "nom": "Maison départementale d'Annecy",
    "adresse": "26 avenue de Chevênes",
    "code_postal": "74000",
    "commune": "Annecy",
    "acces": "Bus ligne 2, arrêt Chevênes ; rez-de-chaussée accessible en fauteuil",
}


def _lundi_prochain() -> date:
    """The next Monday that is not a public holiday (Easter and Whit Mondays are)."""
    lundi = date.today() + timedelta(days=7 - date.today().weekday())
    while lundi in jours_feries_france([lundi.year]):
        lundi += timedelta(days=7)
    return lundi


def _plage(**extra: Any) -> dict[str, Any]:
    return {
        "jour": "0",
        "debut": "09:00",
        "fin": "12:00",
        "modalite": "sur_place",
        "motifs": ["orientation", "accompagnement"],
        "du": _lundi_prochain().isoformat(),
    } | extra


async def test_le_referent_ouvre_son_agenda(plateforme: Plateforme) -> None:
    async with plateforme.client(CLAIRE) as claire:
        r = await claire.post("/api/v1/agenda/lieux", json=LIEU)
        assert r.status_code == 201, r.text
        lieu = r.json()["id"]
        r = await claire.post("/api/v1/agenda/plages", json=_plage(lieu_id=lieu))
        assert r.status_code == 201, r.text
        plage = r.json()["id"]
        r = await claire.get(
            "/api/v1/agenda/creneaux",
            params={"motif": "orientation", "du": _lundi_prochain().isoformat()},
        )
        assert r.status_code == 200, r.text
        lundis = [c for c in r.json() if date.fromisoformat(c["debut"][:10]).weekday() == 0]
        assert lundis, r.json()
        assert all(c["lieu_id"] == lieu for c in r.json())
        assert len(r.json()) % 4 == 0  # 9:00, 9:45, 10:30, 11:15 on each Monday (no holiday)
    async with plateforme.client(MARC) as marc:  # another référent's agenda stays his own
        assert plage not in [p["id"] for p in (await marc.get("/api/v1/agenda/plages")).json()]
        r = await marc.post("/api/v1/agenda/plages", json=_plage(lieu_id=lieu))
        assert r.status_code == 422, r.text  # Claire's structure's place is not his
        assert r.json()["erreurs"][0]["champ"] == "lieu_id"
        assert (await marc.delete(f"/api/v1/agenda/plages/{plage}")).status_code == 404
    async with plateforme.client(COORD) as coord:
        r = await coord.get("/api/v1/agenda/plages")
        assert r.status_code == 403, r.text
        assert r.json()["message"] == "L'agenda est celui d'un référent"


async def test_saisies_refusees_en_nommant_le_champ(plateforme: Plateforme) -> None:
    async with plateforme.client(SOPHIE) as claire:
        # other tests (the rights matrix) may have left plages in Sophie's agenda: count from here
        deja = len((await claire.get("/api/v1/agenda/plages")).json())
        lieu = (await claire.post("/api/v1/agenda/lieux", json=LIEU | {"nom": "Antenne"})).json()[
            "id"
        ]
        assert (
            await claire.post("/api/v1/agenda/plages", json=_plage(lieu_id=lieu))
        ).status_code == 201
        cas = {
            "fin": _plage(lieu_id=lieu, debut="14:00", fin="13:00"),
            "debut": _plage(lieu_id=lieu, debut="11:00", fin="13:00"),  # overlaps 9-12
            "lieu_id": _plage(jour="1"),
            "motifs": _plage(jour="2", lieu_id=lieu, motifs=["pique_nique"]),
        }
        for champ, corps in cas.items():
            r = await claire.post("/api/v1/agenda/plages", json=corps)
            assert r.status_code == 422, (champ, r.text)
            assert champ in [e["champ"] for e in r.json()["erreurs"]], (champ, r.json())
        r = await claire.post("/api/v1/agenda/lieux", json=LIEU | {"code_postal": "75001"})
        assert r.status_code == 422, r.text
        assert r.json()["erreurs"][0]["champ"] == "code_postal"
        r = await claire.post("/api/v1/agenda/lieux", json=LIEU | {"nom": "antenne"})
        assert r.status_code == 422, r.text
        assert r.json()["erreurs"][0]["champ"] == "nom"
        assert len((await claire.get("/api/v1/agenda/plages")).json()) == deja + 1
        noms = [x["nom"] for x in (await claire.get("/api/v1/agenda/lieux")).json()]
        assert noms.count("Antenne") == 1, noms


async def test_absence_et_plage_retiree(plateforme: Plateforme) -> None:
    lundi = _lundi_prochain()
    async with plateforme.client(KARIM) as claire:
        plage = (
            await claire.post("/api/v1/agenda/plages", json=_plage(modalite="telephone"))
        ).json()
        params = {"motif": "accompagnement", "du": lundi.isoformat(), "au": lundi.isoformat()}
        avant = (await claire.get("/api/v1/agenda/creneaux", params=params)).json()
        conge = {"du": lundi.isoformat(), "au": lundi.isoformat(), "motif": "Formation"}
        assert (await claire.post("/api/v1/agenda/absences", json=conge)).status_code == 201
        pendant = (await claire.get("/api/v1/agenda/creneaux", params=params)).json()
        assert avant
        assert pendant == []
        r = await claire.delete(f"/api/v1/agenda/plages/{plage['id']}")
        assert r.status_code == 204, r.text
        assert (await claire.delete(f"/api/v1/agenda/plages/{plage['id']}")).status_code == 404
        restantes = (await claire.get("/api/v1/agenda/plages")).json()
        assert plage["id"] not in [p["id"] for p in restantes]  # others' tests may keep theirs
