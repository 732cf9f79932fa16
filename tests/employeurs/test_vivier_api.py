"""The pool through the API: the référent puts the person in it with her consent; the
chargé de relation entreprise of the territory sees her for a fitting offer, with the reasons;
consent withdrawn ⇒ she is no longer shown; nobody else writes her fiche or reads the list."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

import httpx

from store.db import make_engine, session_factory
from store.parcours import ParcoursRow
from tests.administration.outils import un_siret
from tests.api import donnees
from tests.employeurs.comptes import charge_entreprise
from tests.fixtures.plateforme import Plateforme
from tests.partenaires.outils import attendre

CLAIRE, MARC = "ref-claire-martin", "ref-marc-roux"
FICHE = {
    "pret": True,
    "consentement": True,
    "projets": ["N1103"],
    "permis_b": True,
    "distance_max_km": 15,
    "creneaux": ["matin", "apres_midi"],
}


async def _projete(plateforme: Plateforme, pid: str) -> ParcoursRow | None:
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            return await session.get(ParcoursRow, pid)
    finally:
        await engine.dispose()


async def _offre(cre: httpx.AsyncClient) -> str:
    siret = un_siret()
    entreprise = {"siret": siret, "nom": "Logistique", "code_postal": "74000", "commune": "Annecy"}
    assert (await cre.post("/api/v1/entreprises", json=entreprise)).status_code == 201
    offre: dict[str, Any] = {
        "siret": siret,
        "intitule": "Préparateur de commandes",
        "code_rome": "N1103",
        "code_postal": "74000",
        "commune": "Annecy",
        "type_contrat": "cdd",
    }
    r = await cre.post("/api/v1/offres", json=offre)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def test_consentement_et_rapprochement(plateforme: Plateforme) -> None:
    cre_id = await charge_entreprise(plateforme, "bassin_annecien")
    cre_chablais = await charge_entreprise(plateforme, "chablais")
    nom = "Vivier" + secrets.token_hex(4).upper()
    async with (
        plateforme.client(CLAIRE) as claire,
        plateforme.client(MARC) as marc,
        plateforme.client(cre_id) as cre,
        plateforme.client(cre_chablais) as chablais,
    ):
        r = await claire.post("/api/v1/parcours", json=donnees.accueil(date.today(), nom=nom))
        assert r.status_code == 201, r.text
        pid = r.json()["id"]
        await attendre(lambda: _projete(plateforme, pid), "projection du parcours")
        offre_id = await _offre(cre)

        assert (await marc.put(f"/api/v1/parcours/{pid}/vivier", json=FICHE)).status_code == 404
        assert (await cre.put(f"/api/v1/parcours/{pid}/vivier", json=FICHE)).status_code == 404
        r = await claire.put(f"/api/v1/parcours/{pid}/vivier", json=FICHE)
        assert r.status_code == 200, r.text

        liste = (await cre.get(f"/api/v1/offres/{offre_id}/rapprochement")).json()
        (elle,) = [p for p in liste if p["parcours_id"] == pid]
        assert elle["nom"] == nom
        assert elle["raisons"] == [
            "projet N1103",
            "à 0 km, permis B",
            "disponible le matin et l'après-midi",
        ]
        refus = await chablais.get(f"/api/v1/offres/{offre_id}/rapprochement")
        assert refus.status_code == 403
        assert (await claire.get(f"/api/v1/offres/{offre_id}/rapprochement")).status_code == 403

        retire = FICHE | {"consentement": False}
        assert (await claire.put(f"/api/v1/parcours/{pid}/vivier", json=retire)).status_code == 200
        liste = (await cre.get(f"/api/v1/offres/{offre_id}/rapprochement")).json()
        assert pid not in [p["parcours_id"] for p in liste]

        mauvais = FICHE | {"projets": ["Z9999"]}
        r = await claire.put(f"/api/v1/parcours/{pid}/vivier", json=mauvais)
        assert r.status_code == 422
        assert r.json()["erreurs"][0]["champ"].startswith("projets")
