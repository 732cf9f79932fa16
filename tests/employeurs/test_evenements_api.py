"""Events with employers and social clauses through the API: the territory's chargé de
relation entreprise creates them (another territory's may not); référents invite or place the
people they accompany and note presence or hours; the chargé sees the people invited or placed
(each an audited read), never another référent's to a référent; the report of a contract."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

import httpx
from sqlmodel import col, select

from store.audit import EntreeAudit
from store.db import make_engine, session_factory
from tests.api import donnees
from tests.employeurs.comptes import charge_entreprise
from tests.employeurs.test_vivier_api import CLAIRE, FICHE, MARC, _offre, _projete
from tests.fixtures.plateforme import Plateforme
from tests.partenaires.outils import attendre

EVENEMENTS = "/api/v1/evenements-employeurs"
CLAUSES = "/api/v1/clauses-sociales"


async def _ouvrir(plateforme: Plateforme, claire: httpx.AsyncClient, prefixe: str) -> str:
    nom = prefixe + secrets.token_hex(4).upper()
    r = await claire.post("/api/v1/parcours", json=donnees.accueil(date.today(), nom=nom))
    assert r.status_code == 201, r.text
    pid = str(r.json()["id"])
    await attendre(lambda: _projete(plateforme, pid), "projection du parcours", 60)
    return pid


async def _audit(plateforme: Plateforme, compte: str, objet: str) -> list[EntreeAudit]:
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            requete = select(EntreeAudit).where(
                EntreeAudit.compte_id == compte, col(EntreeAudit.objet) == objet
            )
            return list((await session.exec(requete)).all())
    finally:
        await engine.dispose()


def _evenement(siret: str, offre_id: str, **autre: Any) -> dict[str, Any]:
    return {
        "nature": "job_dating",
        "titre": "Job dating de la logistique",
        "le": date.today().isoformat(),
        "horaire": "9 h – 12 h",
        "code_postal": "74000",
        "commune": "Annecy",
        "entreprises": [siret],
        "offres": [offre_id],
    } | autre


async def test_job_dating_invitations_et_presence(plateforme: Plateforme) -> None:
    cre_id = await charge_entreprise(plateforme, "bassin_annecien")
    chablais_id = await charge_entreprise(plateforme, "chablais")
    async with (
        plateforme.client(CLAIRE) as claire,
        plateforme.client(MARC) as marc,
        plateforme.client(cre_id) as cre,
        plateforme.client(chablais_id) as chablais,
    ):
        pid = await _ouvrir(plateforme, claire, "Invitee")
        offre_id = await _offre(cre)
        siret = (await cre.get(f"/api/v1/offres/{offre_id}")).json()["siret"]

        inconnue = _evenement(siret, offre_id, entreprises=["73282932000074"])
        r = await cre.post(EVENEMENTS, json=inconnue)
        assert r.status_code == 422
        assert r.json()["erreurs"][0]["champ"] == "entreprises"
        assert (
            await chablais.post(EVENEMENTS, json=_evenement(siret, offre_id))
        ).status_code == 403
        assert (await claire.post(EVENEMENTS, json=_evenement(siret, offre_id))).status_code == 403
        r = await cre.post(EVENEMENTS, json=_evenement(siret, offre_id))
        assert r.status_code == 201, r.text
        ev = r.json()
        assert (ev["bassin"], ev["nature_libelle"]) == ("bassin_annecien", "Job dating")
        assert [o["id"] for o in ev["offres"]] == [offre_id]
        url = f"{EVENEMENTS}/{ev['id']}"
        modifie = _evenement(siret, offre_id, titre="Job dating du 74")
        assert (await chablais.put(url, json=modifie)).status_code == 403

        invitation = {"parcours_id": pid}
        assert (await marc.post(f"{url}/invitations", json=invitation)).status_code == 404
        assert (await cre.post(f"{url}/invitations", json=invitation)).status_code == 404
        r = await claire.post(f"{url}/invitations", json=invitation)
        assert r.status_code == 201, r.text
        invitation_id = r.json()["id"]
        assert (await claire.post(f"{url}/invitations", json=invitation)).status_code == 409

        vu = (await cre.get(url)).json()
        (invitee,) = vu["invites"]
        assert invitee["parcours_id"] == pid
        projete = await _projete(plateforme, pid)
        assert projete is not None
        assert (invitee["nom"], invitee["prenom"]) == (projete.nom, projete.prenom)
        assert "etat" not in invitee
        assert (await marc.get(url)).json()["invites"] == []
        assert [i["id"] for i in (await claire.get(url)).json()["invites"]] == [invitation_id]
        lu = await _audit(plateforme, cre_id, f"parcours:{pid}")
        assert [(e.action, e.detail) for e in lu] == [
            ("lecture", f"invitation evenement_employeur:{ev['id']}")
        ]

        presence = {"presence": "presente", "suite": "entretien"}
        noter = f"{url}/invitations/{invitation_id}"
        assert (await marc.put(noter, json=presence)).status_code == 404
        r = await claire.put(noter, json=presence)
        assert r.status_code == 200, r.text
        assert (r.json()["presence_libelle"], r.json()["suite_libelle"]) == (
            "Présente",
            "Entretien avec un employeur",
        )
        demain = (date.today() + timedelta(days=1)).isoformat()
        r = await cre.put(url, json=modifie | {"le": demain})
        assert r.status_code == 200, r.text
        assert r.json()["titre"] == "Job dating du 74"
        assert (await claire.put(noter, json=presence)).status_code == 409  # not held yet


async def test_clause_sociale_placements_et_bilan(plateforme: Plateforme) -> None:
    cre_id = await charge_entreprise(plateforme, "bassin_annecien")
    async with (
        plateforme.client(CLAIRE) as claire,
        plateforme.client(MARC) as marc,
        plateforme.client(cre_id) as cre,
    ):
        suivie = await _ouvrir(plateforme, claire, "Placee")
        vivier = await _ouvrir(plateforme, claire, "Vivier")
        offre_id = await _offre(cre)
        siret = (await cre.get(f"/api/v1/offres/{offre_id}")).json()["siret"]
        marche = {
            "intitule": "Voirie du quartier de Novel",
            "acheteur": "Grand Annecy",
            "siret": siret,
            "code_postal": "74000",
            "commune": "Annecy",
            "heures_exigees": 200,
            "debut": (date.today() - timedelta(days=30)).isoformat(),
            "fin": (date.today() + timedelta(days=300)).isoformat(),
        }
        assert (await claire.post(CLAUSES, json=marche)).status_code == 403
        r = await cre.post(CLAUSES, json=marche | {"heures_exigees": 0})
        assert r.json()["erreurs"][0]["champ"] == "heures_exigees"
        r = await cre.post(CLAUSES, json=marche)
        assert r.status_code == 201, r.text
        url = f"{CLAUSES}/{r.json()['id']}"
        debut = {"debut": date.today().isoformat()}

        r = await cre.post(f"{url}/placements", json={"parcours_id": vivier} | debut)
        assert r.json()["erreurs"][0]["champ"] == "parcours_id"  # not in the pool yet
        sans = FICHE | {"consentement": False}
        r = await claire.put(f"/api/v1/parcours/{vivier}/vivier", json=sans)
        assert r.status_code == 200, r.text
        r = await cre.post(f"{url}/placements", json={"parcours_id": vivier} | debut)
        assert r.status_code == 422  # in the pool, without her consent
        r = await claire.put(f"/api/v1/parcours/{vivier}/vivier", json=FICHE)
        assert r.status_code == 200, r.text
        r = await cre.post(f"{url}/placements", json={"parcours_id": vivier} | debut)
        assert r.status_code == 201, r.text
        par_le_charge = r.json()["id"]
        corps = {"parcours_id": suivie} | debut
        assert (await marc.post(f"{url}/placements", json=corps)).status_code == 404
        r = await claire.post(f"{url}/placements", json=corps)
        assert r.status_code == 201, r.text
        par_la_referente = r.json()["id"]

        heures = f"{url}/placements/{par_la_referente}"
        assert (await marc.put(heures, json={"heures_realisees": 35})).status_code == 404
        assert (await claire.put(heures, json={"heures_realisees": 35})).status_code == 200
        r = await cre.put(f"{url}/placements/{par_le_charge}", json={"heures_realisees": 14.5})
        assert r.status_code == 200, r.text

        vu = (await cre.get(url)).json()
        assert vu["bilan"] == {
            "heures_exigees": 200,
            "heures_realisees": 49.5,
            "heures_restantes": 150.5,
            "part_realisee": 24.8,
            "personnes": 2,
        }
        assert sorted(p["parcours_id"] for p in vu["placements"]) == sorted([suivie, vivier])
        assert (await marc.get(url)).json()["placements"] == []
        assert (await marc.get(url)).json()["bilan"]["personnes"] == 2
