"""RDV-Solidarités' webhooks, as the tool sends them (X-Lapin-Signature, ``{data, meta}``):
a rdv taken, then its outcome, reaches the parcours of the person carrying that RDV-Solidarités
user id; a false signature changes nothing; what the platform does not follow is answered 200."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from partenaires import rdv_solidarites as adaptateur
from schemas.evenements import CleSujet
from schemas.usager import IdentifiantsPartenaires
from services.parcours_client import ParcoursClient
from simulator.app import create_app
from simulator.store import Store
from store.db import SessionFactory
from tests import factories
from tests.factories import CLAIRE
from tests.fixtures.plateforme import Plateforme
from tests.partenaires.outils import (
    attendre,
    ouvrir,
    partenaires,
    projete,
    recu,
    routable,
    traces_audit,
    vue,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "rdv_solidarites"
ROUTE = "/api/v1/partners/rdv/rdv-solidarites/webhooks"


def charge(nom: str) -> dict[str, Any]:
    contenu: dict[str, Any] = json.loads((FIXTURES / nom).read_text())
    return contenu


def pour(webhook: dict[str, Any], usager: int, rdv: int) -> dict[str, Any]:
    """The recorded webhook, about this user and this rdv (each test its own ids)."""
    data = webhook["data"]
    data["id"] = rdv
    for u in data["users"]:
        u["id"] = usager
    for p in data.get("participations") or []:
        p["user"]["id"] = usager
        p["created_by_id"] = usager
    return webhook


def corps_de(webhook: dict[str, Any]) -> bytes:
    # Rails' to_json: compact, UTF-8 kept as is; the signature covers these exact bytes.
    return json.dumps(webhook, ensure_ascii=False, separators=(",", ":")).encode()


def signe(p: Plateforme, corps: bytes) -> dict[str, str]:
    secret = partenaires(p)["rdv"].secret
    assert secret is not None
    return {
        "Content-Type": "application/json; charset=utf-8",
        "X-Lapin-Signature": adaptateur.signature(secret, corps),
    }


async def poster(p: Plateforme, corps: bytes, headers: dict[str, str]) -> httpx.Response:
    async with p.client() as client:
        return await client.post(ROUTE, content=corps, headers=headers)


def ids() -> tuple[int, int]:
    return random.randrange(10**6, 10**9), random.randrange(10**6, 10**9)


def id_evenement(webhook: dict[str, Any], usager: int) -> str:
    meta = adaptateur.Meta.model_validate(webhook["meta"])
    return f"rdvs:{webhook['data']['id']}:{usager}:{meta.event}:{meta.timestamp.isoformat()}"


async def _rdv(p: Plateforme, pid: str, rdv_id: str, statut: str) -> dict[str, Any] | None:
    async with p.client(CLAIRE.id) as client:
        etat = await vue(client, pid)
    trouve = [r for r in etat["etat"]["rdvs"] if r["id"] == rdv_id and r["statut"] == statut]
    return trouve[0] if trouve else None


async def test_signature_fausse_refusee_et_sans_effet(
    plateforme: Plateforme, lecture: SessionFactory
) -> None:
    usager, rdv = ids()
    webhook = pour(charge("webhook_rdv_created.json"), usager, rdv)
    corps = corps_de(webhook)
    faux = {**signe(plateforme, corps), "X-Lapin-Signature": adaptateur.signature("autre", corps)}
    for headers in (faux, {"Content-Type": "application/json"}):
        reponse = await poster(plateforme, corps, headers)
        assert reponse.status_code == 401, reponse.text
        assert reponse.json()["code"] == "signature_invalide"
    # signed, then altered in transit: refused too
    altere = corps.replace(b"Nadia", b"Nadie")
    assert (await poster(plateforme, altere, signe(plateforme, corps))).status_code == 401
    cle = id_evenement(webhook, usager)
    assert await recu(lecture, "rdv", cle) is None
    assert await traces_audit(lecture, "rdv", cle) == 0


async def test_rdv_pris_puis_honore_arrive_au_parcours(
    plateforme: Plateforme, lecture: SessionFactory
) -> None:
    usager, rdv = ids()
    pid = await ouvrir(plateforme, IdentifiantsPartenaires(rdv_solidarites=str(usager)))
    await projete(lecture, pid)

    cree = pour(charge("webhook_rdv_created.json"), usager, rdv)
    reponse = await poster(plateforme, corps_de(cree), signe(plateforme, corps_de(cree)))
    assert reponse.status_code == 200, reponse.text
    assert reponse.json() == {"status": "accepted", "evenements": 1, "a_rapprocher": 0}
    copie = await attendre(
        lambda: _rdv(plateforme, pid, f"rdvs-{rdv}", "prevu"), "le rdv pris dans l'outil"
    )
    assert copie["objet"] == "RSA - Orientation : rdv sur site"
    assert copie["professionnel"] == "Sophie Martin"
    assert copie["lieu"] == "12 rue de la République, 74000 Annecy"
    assert copie["source"] == "rdv"

    vu = pour(charge("webhook_rdv_updated_seen.json"), usager, rdv)
    corps = corps_de(vu)
    assert (await poster(plateforme, corps, signe(plateforme, corps))).json()["status"] == (
        "accepted"
    )
    await attendre(lambda: _rdv(plateforme, pid, f"rdvs-{rdv}", "honore"), "l'issue « honoré »")
    # RDV-Solidarités retries a webhook it thinks failed: the same bytes are a duplicate
    encore = await poster(plateforme, corps, signe(plateforme, corps))
    assert encore.json() == {"status": "duplicate", "evenements": 1, "a_rapprocher": 0}
    assert await traces_audit(lecture, "rdv", id_evenement(vu, usager)) == 2


async def test_usager_inconnu_attend_un_coordinateur(
    plateforme: Plateforme, lecture: SessionFactory
) -> None:
    usager, rdv = ids()
    webhook = pour(charge("webhook_rdv_created.json"), usager, rdv)
    corps = corps_de(webhook)
    reponse = await poster(plateforme, corps, signe(plateforme, corps))
    assert reponse.json() == {"status": "accepted", "evenements": 1, "a_rapprocher": 1}
    assert "Nadia" not in reponse.text
    assert str(usager) not in reponse.text
    row = await recu(lecture, "rdv", id_evenement(webhook, usager))
    assert row is not None
    assert row.statut == "a_rapprocher"
    assert row.type == "fr.rdv.usager.rdv-planifie"
    assert (
        row.motif
        == f"Aucun parcours ouvert ne porte l'identifiant d'usager RDV-Solidarités « {usager} »"
    )


async def test_modele_non_suivi_et_corps_malformes(plateforme: Plateforme) -> None:
    usager = charge("webhook_user_updated.json")
    corps = corps_de(usager)
    reponse = await poster(plateforme, corps, signe(plateforme, corps))
    assert reponse.status_code == 200
    assert reponse.json() == {"status": "ignored", "evenements": 0, "a_rapprocher": 0}

    illisible = b'{"data": {"id": 1'
    reponse = await poster(plateforme, illisible, signe(plateforme, illisible))
    assert (reponse.status_code, reponse.json()["code"]) == (400, "json_invalide")

    sans_date = charge("webhook_rdv_created.json")
    del sans_date["data"]["starts_at"]
    corps = corps_de(sans_date)
    reponse = await poster(plateforme, corps, signe(plateforme, corps))
    assert reponse.status_code == 422, reponse.text
    assert [e["champ"] for e in reponse.json()["erreurs"]] == ["data.starts_at"]


@pytest.mark.parametrize(
    ("fichier", "type_", "statut"),
    [
        ("webhook_rdv_created.json", "fr.rdv.usager.rdv-planifie", "unknown"),
        ("webhook_rdv_updated_seen.json", "fr.rdv.usager.rdv-honore", "seen"),
        ("webhook_rdv_updated_noshow.json", "fr.rdv.usager.rdv-non-honore", "noshow"),
        ("webhook_rdv_destroyed.json", "fr.rdv.usager.rdv-annule", "unknown"),
        # the 2021 blueprint: no participations, Ruby dates, rdv statuses « notexcused »…
        ("webhook_rdv_2021_sans_participations.json", "fr.rdv.usager.rdv-non-honore", "notexcused"),
    ],
)
def test_traduction_des_webhooks_enregistres(
    plateforme: Plateforme, fichier: str, type_: str, statut: str
) -> None:
    webhook = charge(fichier)
    meta, data = adaptateur.lire(corps_de(webhook))
    [ev] = adaptateur.traduire(partenaires(plateforme)["rdv"], meta, data)
    assert ev.evenement.type == type_
    assert ev.evenement.subject == "731204"
    assert ev.data["statut_outil"] == statut
    assert ev.data["rdv_id"] == "48213907"
    # the person's participation, to which the référent's outcome goes back (none in 2021)
    assert ev.data["participation_id"] == (None if "2021" in fichier else "66120455")


async def test_le_simulateur_envoie_comme_l_outil(
    plateforme: Plateforme, lecture: SessionFactory, tmp_path: Path
) -> None:
    """What `make run` shows: the simulator's agent takes a rdv, then revokes it."""
    usager, rdv = ids()
    pid = await ouvrir(plateforme, IdentifiantsPartenaires(rdv_solidarites=str(usager)))
    await projete(lecture, pid)
    simulateur = create_app(
        plateforme.settings, Store(tmp_path / "simulateur.json"), platform_url=plateforme.base_url
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=simulateur), base_url="http://simulateur"
    ) as agent:
        demande = {"usager_id": usager, "rdv_id": rdv, "starts_at": "2026-12-09T14:00:00+01:00"}
        envoi = await agent.post("/_simulateur/rdv-solidarites/rdvs", json=demande)
        assert envoi.json()["reponse"]["status"] == "accepted", envoi.text
        await attendre(lambda: _rdv(plateforme, pid, f"rdvs-{rdv}", "prevu"), "le rdv pris")
        annule = {**demande, "statut": "revoked", "event": "updated"}
        envoi = await agent.post("/_simulateur/rdv-solidarites/rdvs", json=annule)
        assert envoi.json()["statut_http"] == 200, envoi.text
    await attendre(lambda: _rdv(plateforme, pid, f"rdvs-{rdv}", "annule"), "l'annulation")


async def _identifiant(p: Plateforme, pid: str) -> str | None:
    async with p.client(CLAIRE.id) as client:
        etat = await vue(client, pid)
    valeur: str | None = etat["etat"]["identifiants"].get("rdv_solidarites")
    return valeur


async def test_inscrite_par_le_referent_puis_son_rdv_arrive(
    plateforme: Plateforme, lecture: SessionFactory, tmp_path: Path
) -> None:
    """The référent registers the person in the tool (its API, here the simulator's); the tool's
    user id joins the identifiers, so the webhook of the rdv she then books finds the parcours."""
    pid = await ouvrir(plateforme, IdentifiantsPartenaires())
    await projete(lecture, pid)
    async with plateforme.client(CLAIRE.id) as claire:
        chemin = f"/api/v1/parcours/{pid}/inscrire-rdv-solidarites"
        reponse = await claire.post(chemin, json={"organisation_id": 352})
        assert reponse.status_code == 200, reponse.text
        encore = await claire.post(chemin, json={"organisation_id": 352})
    usager = await attendre(lambda: _identifiant(plateforme, pid), "l'identifiant RDV-Solidarités")
    await routable(lecture, CleSujet.RDV_SOLIDARITES, usager, pid)
    assert encore.status_code == 409, encore.text  # in flight or done: never two people
    assert "déjà inscrite" in (await claire_refus(plateforme, pid))
    simulateur = create_app(
        plateforme.settings, Store(tmp_path / "simulateur.json"), platform_url=plateforme.base_url
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=simulateur), base_url="http://simulateur"
    ) as agent:
        _, rdv = ids()
        demande = {
            "usager_id": int(usager),
            "rdv_id": rdv,
            "starts_at": "2026-12-10T09:00:00+01:00",
        }
        envoi = await agent.post("/_simulateur/rdv-solidarites/rdvs", json=demande)
    assert envoi.json()["reponse"]["a_rapprocher"] == 0, envoi.text
    await attendre(lambda: _rdv(plateforme, pid, f"rdvs-{rdv}", "prevu"), "le rdv de l'inscrite")


async def claire_refus(p: Plateforme, pid: str) -> str:
    async with p.client(CLAIRE.id) as claire:
        chemin = f"/api/v1/parcours/{pid}/inscrire-rdv-solidarites"
        reponse = await claire.post(chemin, json={"organisation_id": 352})
    assert reponse.status_code == 409, reponse.text
    return reponse.text


async def test_sans_partage_accorde_pas_d_inscription(
    plateforme: Plateforme, lecture: SessionFactory
) -> None:
    """Her name, birth date and contacts go to the tool only if she agreed to share them."""
    accueil = factories.accueil_rsa(date.today(), partage=False)
    client = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    pid = (await client.ouvrir(accueil, CLAIRE)).parcours_id
    await projete(lecture, pid)
    async with plateforme.client(CLAIRE.id) as claire:
        chemin = f"/api/v1/parcours/{pid}/inscrire-rdv-solidarites"
        reponse = await claire.post(chemin, json={"organisation_id": 352})
        assert reponse.status_code == 409, reponse.text
        assert "partage de ses informations" in reponse.json()["message"]
        etat = await vue(claire, pid)
    assert etat["etat"]["operations"] == []
