"""Every refusal is explicit — status, French message, field names — and changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from tests.api import donnees
from tests.fixtures.plateforme import Plateforme

KARIM = "ref-karim-benali"


async def _parcours_sous_contrat(karim: httpx.AsyncClient, jour: date) -> str:
    cree = await karim.post("/api/v1/parcours", json=donnees.accueil(jour, nom="Refus"))
    pid = str(cree.json()["id"])
    await karim.post(
        f"/api/v1/parcours/{pid}/enregistrer-diagnostic", json=donnees.diagnostic(jour)
    )
    await karim.post(
        f"/api/v1/parcours/{pid}/decider-orientation",
        json={
            "decidee_le": jour.isoformat(),
            "type": "professionnelle",
            "organisme": "france_travail",
            "referent_id": KARIM,
        },
    )
    return pid


async def _inchange(
    client: httpx.AsyncClient, pid: str, reponse: httpx.Response, avant: dict
) -> None:
    apres = (await client.get(f"/api/v1/parcours/{pid}")).json()
    # version_metier: a partner call finishing in the background may move `version`
    assert apres["etat"]["version_metier"] == avant["etat"]["version_metier"], reponse.text
    assert apres["etat"]["timeline"] == avant["etat"]["timeline"]


async def test_refus_nommes_et_sans_effet(plateforme: Plateforme) -> None:
    jour = date.today()
    async with plateforme.client(KARIM) as karim:
        pid = await _parcours_sous_contrat(karim, jour)
        avant = (await karim.get(f"/api/v1/parcours/{pid}")).json()

        treize_mois = donnees.contrat(jour, mois=13)
        r = await karim.post(f"/api/v1/parcours/{pid}/rediger-contrat", json=treize_mois)
        assert r.status_code == 422
        assert r.json()["erreurs"] == [
            {"champ": "date_fin", "message": "Un contrat dure au plus 12 mois"}
        ]
        await _inchange(karim, pid, r, avant)

        r = await karim.post(
            f"/api/v1/parcours/{pid}/prescrire-pmsmp",
            json=donnees.convention(jour + timedelta(days=3), 28),
        )
        assert r.status_code == 409  # wrong phase: no signed contract yet
        assert "n'est pas possible en phase « Orientation »" in r.json()["message"]

        assert (
            await karim.post(f"/api/v1/parcours/{pid}/rediger-contrat", json=donnees.contrat(jour))
        ).status_code == 200
        r = await karim.post(
            f"/api/v1/parcours/{pid}/reviser-contrat",
            json={"realisee_le": jour.isoformat(), "bilan": "Point"},
        )
        assert r.status_code == 409  # signatures missing: the contract is not active
        assert "Le contrat d'engagement est « En cours de rédaction »" in r.json()["message"]
        for signataire in ("usager", "referent"):
            await karim.post(
                f"/api/v1/parcours/{pid}/signer-contrat",
                json={"signataire": signataire, "signe_le": jour.isoformat()},
            )

        avant = (await karim.get(f"/api/v1/parcours/{pid}")).json()
        r = await karim.post(
            f"/api/v1/parcours/{pid}/prescrire-pmsmp",
            json=donnees.convention(jour + timedelta(days=3), 31),
        )
        assert r.status_code == 422
        assert (
            "Une PMSMP dure au plus 30 jours : cette convention en compte 31"
            in r.json()["erreurs"][0]["message"]
        )
        await _inchange(karim, pid, r, avant)

        assert (
            await karim.post(
                f"/api/v1/parcours/{pid}/prescrire-pmsmp",
                json=donnees.convention(jour + timedelta(days=3), 30),
            )
        ).status_code == 200
        r = await karim.post(
            f"/api/v1/parcours/{pid}/valider-pmsmp", json={"validee_le": jour.isoformat()}
        )
        assert r.status_code == 409  # not signed by everyone
        assert "L'immersion est « Convention à signer »" in r.json()["message"]

        r = await karim.post(f"/api/v1/parcours/{pid}/planifier-rdv", json={"mode": "sur_place"})
        assert r.status_code == 422
        champs = {e["champ"] for e in r.json()["erreurs"]}
        assert {"date_heure", "professionnel", "objet"} <= champs
        assert all(
            e["message"] == "Champ obligatoire"
            for e in r.json()["erreurs"]
            if e["champ"] == "objet"
        )


async def test_codes_d_erreur_de_l_api(plateforme: Plateforme) -> None:
    async with plateforme.client() as anonyme:
        r = await anonyme.get("/api/v1/parcours")
        assert r.status_code == 401
        assert r.json()["message"].startswith("Authentification requise")
    async with plateforme.client(KARIM) as karim:
        r = await karim.get("/api/v1/parcours/inconnu")
        assert r.status_code == 404
        assert r.json()["code"] == "parcours_inconnu"
        r = await karim.post("/api/v1/parcours", json=donnees.accueil(date.today(), telephone="12"))
        assert r.status_code == 422
        assert {"champ": "usager.telephone", "message": "Format invalide"} in r.json()["erreurs"]
        r = await karim.get("/api/v1/parcours?referent=ref-claire-martin")
        assert r.status_code == 403
    async with plateforme.client("coord-chablais") as chablais:
        r = await chablais.get("/api/v1/parcours?territoire=bassin_annecien")
        assert r.status_code == 403
        assert "votre territoire" in r.json()["message"]
