"""Structures and accounts through the API, as a département's administration would run its
first week: a structure with a checked SIRET, its administrator invited by e-mail, who creates
a référent of their own structure and nothing beyond it; a référent who leaves hands every
parcours over before their account closes; tokens revoked; access reset; all of it audited."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest_asyncio

from store.comptes import Compte
from store.db import make_engine, session_factory
from tests.administration.outils import activer, connexion, lien_recu, un_siret
from tests.api import donnees
from tests.cockpit.conftest import nom_unique
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from web.securite.sessions import creer_jeton

CLAIRE = "ref-claire-martin"
LEA = "ref-lea-dubois"  # Mission Locale of the Bassin annécien


def _structure(**autres: Any) -> dict[str, Any]:
    return {
        "nom": f"Mission Locale du Test {uuid.uuid4().hex[:6]}",
        "type": "mission_locale",
        "siret": un_siret(),
        "territoires": ["bassin_annecien"],
        "contact_email": "contact@ml-test.fr",
        **autres,
    }


def _email(prefixe: str) -> str:
    return f"{prefixe}.{uuid.uuid4().hex[:6]}@ml-test.fr"


@dataclass
class Structure:
    id: str
    admin: httpx.AsyncClient  # its administrateur de structure, logged in
    admin_id: str


@pytest_asyncio.fixture
async def admin(plateforme: Plateforme) -> AsyncIterator[httpx.AsyncClient]:
    async with plateforme.client("admin") as client:
        yield client


@pytest_asyncio.fixture
async def structure(
    admin: httpx.AsyncClient, plateforme: Plateforme, simulateur: Simulateur
) -> AsyncIterator[Structure]:
    """A Mission Locale of the Bassin annécien and its administrator, invited and active."""
    s = await admin.post("/api/v1/structures", json=_structure())
    assert s.status_code == 201, s.text
    email = _email("admin")
    corps = {
        "email": email,
        "nom": "Anne Structure",
        "role": "admin_structure",
        "structure_id": s.json()["id"],
    }
    cree = await admin.post("/api/v1/comptes", json=corps)
    assert cree.status_code == 201, cree.text
    async with httpx.AsyncClient(timeout=60, base_url=plateforme.base_url) as anonyme:
        await activer(anonyme, await lien_recu(simulateur, email))
    async with connexion(plateforme.base_url, email) as client:
        yield Structure(s.json()["id"], client, cree.json()["id"])


async def test_siret_verifie_et_unique(admin: httpx.AsyncClient) -> None:
    faux = await admin.post("/api/v1/structures", json=_structure(siret="73282932000075"))
    assert faux.status_code == 422
    assert faux.json()["erreurs"][0]["champ"] == "siret"
    assert "SIRET invalide" in faux.json()["erreurs"][0]["message"]
    corps = _structure()
    assert (await admin.post("/api/v1/structures", json=corps)).status_code == 201
    double = await admin.post("/api/v1/structures", json=_structure(siret=corps["siret"]))
    assert double.status_code == 409
    assert double.json()["erreurs"][0]["champ"] == "siret"


async def test_le_lien_d_activation_sert_une_fois(
    admin: httpx.AsyncClient, plateforme: Plateforme, simulateur: Simulateur
) -> None:
    email = _email("ref")
    corps = {"email": email, "nom": "Léon Lien", "role": "coordinateur", "territoire": "chablais"}
    cree = await admin.post("/api/v1/comptes", json=corps)
    assert cree.status_code == 201, cree.text
    assert cree.json()["statut"] == "invite"
    assert "/activation/" not in cree.text  # the link goes to the person only
    chemin = await lien_recu(simulateur, email)
    async with httpx.AsyncClient(timeout=60, base_url=plateforme.base_url) as anonyme:
        court = await anonyme.post(chemin, data={"mot_de_passe": "court", "confirmation": "court"})
        assert court.status_code == 422
        assert "au moins 12 caractères" in court.text
        await activer(anonyme, chemin)
        rejoue = await anonyme.get(chemin)
        assert rejoue.status_code == 404
        assert "a déjà servi" in rejoue.text
    async with connexion(plateforme.base_url, email):
        pass
    vue = (await admin.get(f"/api/v1/comptes/{cree.json()['id']}")).json()
    assert vue["statut"] == "actif"
    assert vue["derniere_connexion"] is not None


async def test_l_administrateur_de_structure_reste_dans_sa_structure(
    structure: Structure, admin: httpx.AsyncClient
) -> None:
    a = structure.admin
    autre = await admin.post("/api/v1/structures", json=_structure())
    assert autre.status_code == 201
    ref = {"email": _email("ref"), "nom": "Rémi Référent", "role": "referent"}
    cree = await a.post("/api/v1/comptes", json=ref)
    assert cree.status_code == 201, cree.text
    assert cree.json()["structure_id"] == structure.id
    assert cree.json()["organisme"] == "mission_locale"
    assert cree.json()["territoire"] == "bassin_annecien"  # the only one its structure serves
    ailleurs = await a.post(
        "/api/v1/comptes",
        json=ref | {"email": _email("ref"), "structure_id": autre.json()["id"]},
    )
    assert ailleurs.status_code == 403
    assert ailleurs.json()["erreurs"][0]["champ"] == "structure_id"
    trop = await a.post(
        "/api/v1/comptes", json=ref | {"email": _email("x"), "role": "administrateur"}
    )
    assert trop.status_code == 403
    assert trop.json()["erreurs"][0]["champ"] == "role"
    assert (await a.get(f"/api/v1/comptes/{CLAIRE}")).status_code == 404
    ids = {c["id"] for c in (await a.get("/api/v1/comptes")).json()}
    assert ids == {structure.admin_id, cree.json()["id"]}
    assert [s["id"] for s in (await a.get("/api/v1/structures")).json()] == [structure.id]
    assert (await a.post("/api/v1/structures", json=_structure())).status_code == 403


async def _attendre_parcours(admin: httpx.AsyncClient, compte_id: str, n: int) -> list[Any]:
    limite = asyncio.get_running_loop().time() + 30
    while True:
        detenus: list[Any] = (await admin.get(f"/api/v1/comptes/{compte_id}/parcours")).json()
        if len(detenus) >= n:
            return detenus
        if asyncio.get_running_loop().time() > limite:
            raise AssertionError(f"{compte_id} ne détient toujours pas {n} parcours")
        await asyncio.sleep(0.2)


async def test_desactiver_un_referent_impose_de_remettre_ses_parcours(
    structure: Structure, admin: httpx.AsyncClient, plateforme: Plateforme, simulateur: Simulateur
) -> None:
    ref = {"email": _email("partant"), "nom": "Paul Partant", "role": "referent"}
    partant = (await structure.admin.post("/api/v1/comptes", json=ref)).json()["id"]
    pids = []
    async with plateforme.client("coord-bassin_annecien") as coord:
        for _ in range(2):
            corps = donnees.accueil(date_du_jour(), nom=nom_unique()) | {
                "referent_id": partant,
                "doublon_confirme": True,
            }
            r = await coord.post("/api/v1/parcours", json=corps)
            assert r.status_code == 201, r.text
            pids.append(r.json()["id"])
    await _attendre_parcours(admin, partant, 2)

    sans_choix = await structure.admin.post(f"/api/v1/comptes/{partant}/desactiver", json={})
    assert sans_choix.status_code == 409
    assert sans_choix.json()["code"] == "parcours_a_remettre"
    assert "2 parcours" in sans_choix.json()["message"]
    assert (await admin.get(f"/api/v1/comptes/{partant}")).json()["statut"] == "invite"

    # Claire is of another structure: out of this administrator's reach
    hors = await structure.admin.post(
        f"/api/v1/comptes/{partant}/desactiver", json={"tous_vers": CLAIRE}
    )
    assert hors.status_code == 422
    assert hors.json()["erreurs"][0]["champ"] == "tous_vers"

    fait = await admin.post(f"/api/v1/comptes/{partant}/desactiver", json={"tous_vers": LEA})
    assert fait.status_code == 200, fait.text
    assert fait.json()["statut"] == "desactive"
    for pid in pids:
        etat = (await admin.get(f"/api/v1/parcours/{pid}")).json()["etat"]
        assert etat["referent"]["referent"]["id"] == LEA
        assert etat["transfert"]["vers"]["id"] == LEA
        assert etat["transfert"]["accuse_le"] is None  # Léa must acknowledge, as always
    # the handover's e-mail to the former référent finds a closed account: no incident
    for pid in pids:
        for avis in await _courriels_finis(admin, pid):
            # sent before, or dropped after, the closing (a succeeded call keeps no payload)
            assert avis["statut"] == "reussie", avis
            assert avis["resultat"]["statut"] in ("envoye", "deja_envoye", "destinataire_desactive")
    incidents = (await admin.get("/api/v1/incidents", params={"limit": 500})).json()
    assert not [i for i in incidents["incidents"] if i["parcours_id"] in pids]
    journal = (await admin.get(f"/api/v1/comptes/{partant}/journal")).json()
    desactivation = next(e for e in journal if e["action"] == "compte_desactive")
    detail = json.loads(desactivation["detail"])
    assert detail["avant"]["statut"] == "invite"
    assert detail["apres"]["statut"] == "desactive"
    assert desactivation["par"] == "admin"


async def _courriels_finis(admin: httpx.AsyncClient, pid: str) -> list[Any]:
    """The parcours' e-mail operations (the handover's notices among them), once none is still
    under way. Their payloads are emptied once sent, so they are told apart by type alone."""
    limite = asyncio.get_running_loop().time() + 30
    while True:
        etat = (await admin.get(f"/api/v1/parcours/{pid}")).json()["etat"]
        courriels = [o for o in etat["operations"] if o["type"] == "envoyer_courriel"]
        if courriels and all(o["statut"] != "en_cours" for o in courriels):
            return courriels
        if asyncio.get_running_loop().time() > limite:
            raise AssertionError(f"Des courriels restent en cours : {courriels}")
        await asyncio.sleep(0.2)


def date_du_jour() -> Any:
    from datetime import date

    return date.today()


async def test_jetons_listes_et_revocables(
    admin: httpx.AsyncClient, plateforme: Plateforme
) -> None:
    corps = {
        "email": _email("bi"),
        "nom": "Outil BI",
        "role": "coordinateur",
        "territoire": "chablais",
    }
    cid = (await admin.post("/api/v1/comptes", json=corps)).json()["id"]
    engine = make_engine(plateforme.settings.effective_database_url)
    async with session_factory(engine)() as session:
        compte = await session.get(Compte, cid)
        assert compte is not None
        jeton = await creer_jeton(session, compte, "Tableau de bord du CD")
    await engine.dispose()
    entetes = {"Authorization": f"Bearer {jeton}"}
    async with httpx.AsyncClient(timeout=60, base_url=plateforme.base_url, headers=entetes) as bi:
        assert (await bi.get("/api/v1/catalogue/thematiques")).status_code == 200
        listes = (await admin.get(f"/api/v1/comptes/{cid}/jetons")).json()
        assert [j["nom"] for j in listes] == ["Tableau de bord du CD"]
        assert jeton not in json.dumps(listes)
        r = await admin.post(f"/api/v1/comptes/{cid}/jetons/{listes[0]['id']}/revoquer")
        assert r.status_code == 200, r.text
        assert (await bi.get("/api/v1/catalogue/thematiques")).status_code == 401
    actions = [e["action"] for e in (await admin.get(f"/api/v1/comptes/{cid}/journal")).json()]
    assert actions[0] == "jeton_revoque"


async def test_reinitialiser_l_acces(
    admin: httpx.AsyncClient, plateforme: Plateforme, simulateur: Simulateur
) -> None:
    email = _email("oubli")
    corps = {"email": email, "nom": "Odile Oubli", "role": "coordinateur", "territoire": "chablais"}
    cid = (await admin.post("/api/v1/comptes", json=corps)).json()["id"]
    async with httpx.AsyncClient(timeout=60, base_url=plateforme.base_url) as anonyme:
        await activer(anonyme, await lien_recu(simulateur, email))
        async with connexion(plateforme.base_url, email) as client:
            r = await admin.post(f"/api/v1/comptes/{cid}/reinitialiser")
            assert r.status_code == 200, r.text
            assert r.json()["statut"] == "invite"
            ferme = await client.get("/", follow_redirects=False)
            assert ferme.status_code == 303  # its session ended
        await activer(anonyme, await lien_recu(simulateur, email, deja=1), "un-tout-nouveau-secret")
    async with connexion(plateforme.base_url, email, "un-tout-nouveau-secret"):
        pass  # the new password opens a session


async def test_au_cockpit_chaque_parcours_recoit_son_referent(
    admin: httpx.AsyncClient, plateforme: Plateforme
) -> None:
    """The account page's form: one choice per parcours; a parcours left without a choice
    refuses the deactivation, and nothing is handed over."""
    corps = {"email": _email("depart"), "nom": "Denis Départ", "role": "referent"}
    corps |= {"territoire": "bassin_annecien"}
    s = await admin.post("/api/v1/structures", json=_structure())
    partant = (
        await admin.post("/api/v1/comptes", json=corps | {"structure_id": s.json()["id"]})
    ).json()["id"]
    pids = []
    async with plateforme.client("coord-bassin_annecien") as coord:
        for _ in range(2):
            accueil = donnees.accueil(date_du_jour(), nom=nom_unique())
            accueil |= {"referent_id": partant, "doublon_confirme": True}
            pids.append((await coord.post("/api/v1/parcours", json=accueil)).json()["id"])
    await _attendre_parcours(admin, partant, 2)
    page = await admin.get(f"/administration/comptes/{partant}")
    assert "est référent de 2 parcours" in page.text
    assert all(f'name="vers-{pid}"' in page.text for pid in pids)

    url = f"/administration/comptes/{partant}/desactiver"
    incomplet = await admin.post(url, data={f"vers-{pids[0]}": LEA})
    assert incomplet.status_code == 409
    assert "1 sans décision" in incomplet.text
    etat = (await admin.get(f"/api/v1/parcours/{pids[0]}")).json()["etat"]
    assert etat["referent"]["referent"]["id"] == partant  # nothing handed over
    fait = await admin.post(
        url, data={f"vers-{pids[0]}": LEA, f"vers-{pids[1]}": "ref-karim-benali"}
    )
    assert fait.status_code == 409  # Karim is of France Travail: the workflow's own rule
    assert "organisme référent" in fait.text
    assert "Le compte reste actif" in fait.text
    fait = await admin.post(url, data={f"vers-{pids[0]}": LEA, f"vers-{pids[1]}": LEA})
    assert fait.status_code == 303, fait.text
    for pid in pids:
        etat = (await admin.get(f"/api/v1/parcours/{pid}")).json()["etat"]
        assert etat["transfert"]["vers"]["id"] == LEA
    assert (await admin.get(f"/api/v1/comptes/{partant}")).json()["statut"] == "desactive"
