"""One parcours taken from accueil to sortie through the JSON API alone, over real HTTP,
with each refused step answering in French (409, or 422 naming the field) and changing nothing."""

from __future__ import annotations

import asyncio
import secrets
from datetime import date

import httpx

from tests.api import donnees
from tests.fixtures.plateforme import Plateforme

CLAIRE, KARIM = "ref-claire-martin", "ref-karim-benali"


async def _post(client: httpx.AsyncClient, pid: str, commande: str, body: dict) -> httpx.Response:
    return await client.post(f"/api/v1/parcours/{pid}/{commande}", json=body)


async def _refus_sans_effet(
    client: httpx.AsyncClient, pid: str, commande: str, body: dict, extrait: str, status: int = 409
) -> None:
    avant = (await client.get(f"/api/v1/parcours/{pid}")).json()
    reponse = await _post(client, pid, commande, body)
    assert reponse.status_code == status, reponse.text
    assert extrait in reponse.json()["message"]
    apres = (await client.get(f"/api/v1/parcours/{pid}")).json()
    assert apres["etat"]["timeline"] == avant["etat"]["timeline"]
    # version_metier: a partner call finishing in the background may move `version`
    assert apres["etat"]["version_metier"] == avant["etat"]["version_metier"]


async def _enfants_clos(client: httpx.AsyncClient, pid: str, delai_s: float = 30) -> None:
    """The sortie asks the contrat and the suivi dans l'emploi to close by signal; their
    « clos » lines reach the parcours just after the sortie's answer. Wait for them, so that
    a refusal checked next is not credited with their arrival."""
    codes: list[str] = []
    for _ in range(int(delai_s * 10)):
        vue = (await client.get(f"/api/v1/parcours/{pid}")).json()
        codes = [e["code"] for e in vue["etat"]["timeline"]]
        if {"contrat_clos", "suivi_clos"} <= set(codes):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"Contrat et suivi toujours pas clos après {delai_s} s : {codes}")


async def test_de_l_accueil_a_la_sortie_par_l_api(plateforme: Plateforme) -> None:
    today = date.today()
    async with plateforme.client(CLAIRE) as claire, plateforme.client(KARIM) as karim:
        cree = await claire.post(
            "/api/v1/parcours", json=donnees.accueil(today, nom=f"Bout{secrets.token_hex(3)}")
        )
        assert cree.status_code == 201, cree.text
        pid = cree.json()["id"]
        assert cree.headers["location"] == f"/api/v1/parcours/{pid}"
        assert cree.json()["phase"] == "accueil"

        await _refus_sans_effet(
            claire,
            pid,
            "declarer-embauche",
            donnees.embauche_cdi(today) | {"date_debut": "2000-01-01"},
            "ne peut pas précéder l'accueil",
            422,  # the date is to correct, the parcours is in no conflict
        )
        diag = await _post(claire, pid, "enregistrer-diagnostic", donnees.diagnostic(today))
        assert diag.status_code == 200, diag.text
        vue = diag.json()
        assert vue["phase"] == "diagnostic"
        assert vue["etat"]["proposition_orientation"]["organisme"] == "france_travail"
        assert "decider_orientation" in [c["nom"] for c in vue["commandes"]]

        await _refus_sans_effet(
            claire, pid, "rediger-contrat", donnees.contrat(today), "n'est pas possible en phase"
        )
        decision = {
            "decidee_le": today.isoformat(),
            "type": "professionnelle",
            "organisme": "france_travail",
            "referent_id": KARIM,
        }
        oriente = await _post(claire, pid, "decider-orientation", decision)
        assert oriente.status_code == 200, oriente.text
        assert oriente.json()["phase"] == "orientation"
        assert oriente.json()["etat"]["referent"]["referent"]["id"] == KARIM
        assert oriente.json()["lecture_seule"] is True  # Claire keeps read access, no command

        assert (
            await _post(karim, pid, "rediger-contrat", donnees.contrat(today))
        ).status_code == 200
        await _refus_sans_effet(
            karim, pid, "rediger-contrat", donnees.contrat(today), "déjà en cours"
        )
        for signataire in ("usager", "referent"):
            signe = await _post(
                karim,
                pid,
                "signer-contrat",
                {"signataire": signataire, "signe_le": today.isoformat()},
            )
            assert signe.status_code == 200, signe.text
        await _refus_sans_effet(
            karim,
            pid,
            "signer-contrat",
            {"signataire": "usager", "signe_le": today.isoformat()},
            "Le contrat d'engagement est « Actif »",
        )
        vue = (await karim.get(f"/api/v1/parcours/{pid}")).json()
        assert vue["phase"] == "contrat"
        assert vue["etat"]["contrat"]["etat"] == "actif"

        assert (
            await _post(karim, pid, "planifier-rdv", donnees.rdv_demain(today))
        ).status_code == 200
        contact = {
            "le": today.isoformat(),
            "mode": "telephone",
            "objet": "Préparation de l'entretien",
        }
        assert (await _post(karim, pid, "enregistrer-contact", contact)).status_code == 200
        emploi = await _post(karim, pid, "declarer-embauche", donnees.embauche_cdi(today))
        assert emploi.status_code == 200, emploi.text
        assert emploi.json()["phase"] == "emploi"

        sortie = await _post(
            karim, pid, "prononcer-sortie", {"le": today.isoformat(), "motif": "emploi_durable"}
        )
        assert sortie.status_code == 200, sortie.text
        assert sortie.json()["statut"] == "clos"
        assert sortie.json()["phase"] == "sortie"
        await _enfants_clos(karim, pid)
        await _refus_sans_effet(karim, pid, "enregistrer-contact", contact, "clos")
        codes = [e["code"] for e in sortie.json()["etat"]["timeline"]]
        for attendu in (
            "accueil",
            "diagnostic",
            "orientation_proposee",
            "orientation_decidee",
            "contrat_redige",
            "contrat_signe",
            "rdv_planifie",
            "contact",
            "embauche",
            "sortie",
        ):
            assert attendu in codes
