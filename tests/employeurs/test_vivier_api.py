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


async def test_proposition_par_le_referent_jusqu_a_l_embauche(plateforme: Plateforme) -> None:
    cre_id = await charge_entreprise(plateforme, "bassin_annecien")
    nom = "Propose" + secrets.token_hex(4).upper()
    async with plateforme.client(CLAIRE) as claire, plateforme.client(MARC) as marc:
        async with plateforme.client(cre_id) as cre:
            r = await claire.post("/api/v1/parcours", json=donnees.accueil(date.today(), nom=nom))
            pid = r.json()["id"]
            await attendre(lambda: _projete(plateforme, pid), "projection du parcours")
            offre_id = await _offre(cre)
            corps = {"parcours_id": pid}
            absente = await cre.post(f"/api/v1/offres/{offre_id}/propositions", json=corps)
            assert absente.status_code == 422  # not in the pool yet
            assert absente.json()["erreurs"][0]["champ"] == "parcours_id"
            r = await claire.put(f"/api/v1/parcours/{pid}/vivier", json=FICHE)
            assert r.status_code == 200, r.text
            r = await cre.post(f"/api/v1/offres/{offre_id}/propositions", json=corps)
            assert r.status_code == 201, r.text
            proposition = r.json()["id"]
            deux = await cre.post(f"/api/v1/offres/{offre_id}/propositions", json=corps)
            assert deux.status_code == 409

        (recue,) = (await claire.get(f"/api/v1/parcours/{pid}/propositions")).json()
        assert recue["statut_libelle"] == "À transmettre à la personne"
        assert recue["raisons"][0] == "projet N1103"
        assert (await marc.get(f"/api/v1/parcours/{pid}/propositions")).status_code == 404
        url = f"/api/v1/propositions/{proposition}"
        assert (await marc.put(url, json={"statut": "entretien"})).status_code == 404
        r = await claire.put(url, json={"statut": "entretien"})
        assert r.json()["statut"] == "entretien"
        sans_fin = {"statut": "embauchee", "date_debut": date.today().isoformat()}
        r = await claire.put(url, json=sans_fin)
        assert r.status_code == 422  # a CDD: its end date
        assert r.json()["erreurs"][0]["champ"] == "date_fin"
        fin = date.today().replace(year=date.today().year + 1).isoformat()
        r = await claire.put(url, json=sans_fin | {"date_fin": fin})
        assert r.status_code == 200, r.text
        assert r.json()["statut_libelle"] == "Embauchée"
        etat = (await claire.get(f"/api/v1/parcours/{pid}")).json()
        assert etat["phase"] == "emploi"
        assert (
            etat["etat"]["emploi"]["embauche"]["metier"]
            == "Préparateur / Préparatrice de commandes"
        )
