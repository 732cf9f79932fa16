"""The simulated partner APIs over real HTTP: answers, idempotency, authentication."""

from __future__ import annotations

import uuid

import pytest

from simulator.store import Store

ORIENTATION = {
    "identifiant_france_travail": "FT-1234567",
    "reference_parcours": "P-2026-0001",
    "organisme": "mission_locale",
    "type_orientation": "socio_professionnelle",
    "decidee_le": "2026-11-02",
    "referent": "Camille Martin",
}
CONVENTION = {
    "convention_id": "PMSMP-42",
    "siret": "73282932000074",
    "raison_sociale": "Boulangerie du Lac",
    "date_debut": "2026-12-01",
    "date_fin": "2026-12-12",
    "objectif": "decouvrir_metier",
    "metier": "Boulanger",
    "heures_hebdomadaires": 35,
    "tuteur": "Jean Dupont",
}
DEMANDE_SIAE = {"reference_parcours": "P-2026-0001", "territoire": "chablais"}
SMS = {"telephone": "+33612345678", "texte": "Rappel : rendez-vous lundi à 9 h."}

ENDPOINTS = [
    ("france-travail", "/france-travail/v1/orientations", ORIENTATION, 201, "notifier_orientation"),
    ("immersion", "/immersion/v1/conventions", CONVENTION, 201, "soumettre_pmsmp"),
    ("siae", "/siae/v1/demandes-orientation", DEMANDE_SIAE, 201, "demande_siae"),
    ("sms", "/sms/v1/messages", SMS, 202, "envoyer_sms"),
]


def cle() -> str:
    return str(uuid.uuid4())


@pytest.mark.parametrize(("partner", "path", "body", "status", "operation"), ENDPOINTS)
async def test_chaque_partenaire_enregistre_l_appel(
    simulateur, client, entetes, partner, path, body, status, operation
):
    key = cle()
    response = await client.post(path, json=body, headers=entetes(partner, key))
    assert response.status_code == status
    assert response.json()["id"]
    [recu] = await simulateur.recus(partner)
    assert (recu["operation"], recu["cle"], recu["appels"]) == (operation, key, 1)
    assert body.items() <= recu["corps"].items()  # validated, defaults filled in
    assert await simulateur.recus(operation=operation) == [recu]


@pytest.mark.parametrize(("partner", "path", "body", "status", "operation"), ENDPOINTS)
async def test_meme_cle_une_seule_fois(
    simulateur, client, entetes, partner, path, body, status, operation
):
    key = cle()
    first = await client.post(path, json=body, headers=entetes(partner, key))
    again = await client.post(path, json=body, headers=entetes(partner, key))
    other = await client.post(path, json=body, headers=entetes(partner, cle()))
    assert again.status_code == first.status_code == status
    assert again.json() == first.json()
    assert other.json()["id"] != first.json()["id"]
    recus = {r["cle"]: r for r in await simulateur.recus(partner)}
    assert len(recus) == 2
    assert recus[key]["appels"] == 2
    assert recus[key]["dernier_appel"] >= recus[key]["premier_appel"]


async def test_sms_inspectables(simulateur, client, entetes):
    for _ in range(2):  # a retry: one SMS only
        await client.post("/sms/v1/messages", json=SMS, headers=entetes("sms", "sms-1"))
    autre = {"telephone": "+33700000000", "texte": "Autre"}
    await client.post("/sms/v1/messages", json=autre, headers=entetes("sms", "sms-2"))
    [sms] = await simulateur.sms(telephone=SMS["telephone"])
    assert (sms["texte"], sms["appels"], sms["cle"]) == (SMS["texte"], 2, "sms-1")
    assert len(await simulateur.sms()) == 2


async def test_droits_rsa(simulateur, client, entetes):
    defaut = await client.get("/caf/v1/allocataires/1234567/droits-rsa", headers=entetes("caf"))
    await simulateur.droits_caf("1234567", "suspendus", "2026-10-01")
    suspendus = await client.get(
        "/caf/v1/allocataires/1234567/droits-rsa", headers=entetes("caf", "lecture-1")
    )
    inconnu = await client.get("/caf/v1/allocataires/9000001/droits-rsa", headers=entetes("caf"))
    assert defaut.status_code == 200
    assert defaut.json() == {
        "numero_allocataire": "1234567",
        "droits_rsa": "ouverts",
        "depuis": "2025-01-01",
    }
    assert suspendus.json()["droits_rsa"] == "suspendus"
    assert suspendus.json()["depuis"] == "2026-10-01"
    assert inconnu.status_code == 404
    assert inconnu.json() == {"message": "Allocataire inconnu de la CAF"}
    assert len(await simulateur.recus("caf", "lire_droits_rsa")) == 3


@pytest.mark.parametrize(
    "authorization", [None, "Bearer faux", "Bearer dev-jeton-sms", "dev-jeton-france-travail"]
)
async def test_jeton_absent_ou_faux(simulateur, client, authorization):
    headers = {"Idempotency-Key": cle()}
    if authorization:
        headers["Authorization"] = authorization
    post = await client.post("/france-travail/v1/orientations", json=ORIENTATION, headers=headers)
    get = await client.get("/caf/v1/allocataires/123/droits-rsa", headers=headers)
    assert post.status_code == get.status_code == 401
    assert "jeton" in post.json()["message"]
    assert await simulateur.recus() == []


async def test_cle_d_idempotence_obligatoire(simulateur, client, entetes):
    response = await client.post("/sms/v1/messages", json=SMS, headers=entetes("sms"))
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["message"]


@pytest.mark.parametrize(
    ("body", "champ"),
    [
        ({**SMS, "texte": "x" * 641}, "texte"),
        ({"texte": "Bonjour"}, "telephone"),
        ({**SMS, "inconnu": 1}, "inconnu"),
    ],
)
async def test_corps_invalide(simulateur, client, entetes, body, champ):
    response = await client.post("/sms/v1/messages", json=body, headers=entetes("sms", cle()))
    bad_json = await client.post(
        "/immersion/v1/conventions", content=b"{pas du json", headers=entetes("immersion", cle())
    )
    assert response.status_code == bad_json.status_code == 422
    assert f"« {champ} »" in response.json()["message"]
    assert "JSON invalide" in bad_json.json()["message"]
    assert await simulateur.recus() == []


async def test_remise_a_zero(simulateur, client, entetes):
    await client.post("/sms/v1/messages", json=SMS, headers=entetes("sms", cle()))
    await simulateur.mode("caf", "panne")
    await simulateur.reset()
    assert await simulateur.recus() == []
    assert await simulateur.sms() == []
    modes = (await client.get("/_simulateur/modes")).json()
    assert modes["caf"]["mode"] == "normal"


async def test_page_html_echappe_tout(simulateur, client, entetes):
    sms = {"telephone": "+33600000000", "texte": "<script>alert('x')</script> à lundi"}
    await simulateur.mode("caf", "instable", pourcentage=30)
    await client.post("/sms/v1/messages", json=sms, headers=entetes("sms", "<b>cle</b>"))
    page = await client.get("/_simulateur/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; à lundi" in page.text
    assert "&lt;b&gt;cle&lt;/b&gt;" in page.text
    assert "30 % d&#x27;échecs" in page.text


def test_etat_conserve_au_redemarrage(tmp_path):
    fichier = tmp_path / "simulateur.json"
    store = Store(fichier)
    store.enregistrer("sms", "envoyer_sms", "k", SMS, 202, {"id": "SMS-1"})
    store.rejouer("sms", "k")
    [recu] = Store(fichier).recus()
    assert (recu.cle, recu.appels, recu.corps) == ("k", 2, SMS)


def test_etat_differe_ecrit_une_fois_puis_a_l_arret(tmp_path):
    """A deferred store (the served simulator) writes a burst of calls once, and what is left
    when it stops: rewriting everything received on each call cost the simulator more the more
    it had received (issue 16)."""
    fichier = tmp_path / "simulateur.json"
    store = Store(fichier, differe_s=60)
    for n in range(3):
        store.enregistrer("sms", "envoyer_sms", f"k{n}", SMS, 202, {"id": f"SMS-{n}"})
    assert not fichier.exists()  # nothing written yet: the burst waits
    store.fermer()
    assert sorted(r.cle for r in Store(fichier).recus()) == ["k0", "k1", "k2"]
