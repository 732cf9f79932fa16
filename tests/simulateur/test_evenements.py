"""Events sent like a real partner: CloudEvents 1.0 structured JSON, Standard Webhooks
signature, posted to the platform (here a stand-in that records what arrives)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from cloudevents.core.bindings.http import HTTPMessage, from_structured_event
from standardwebhooks import Webhook, WebhookVerificationError

from simulator import emetteur

DATA = {"date": "2026-11-20", "motif": "faute grave"}


def test_evenement_construit_et_signe(partners):
    employeur = partners["employeur"]
    moment = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    evenement = emetteur.construire_evenement(
        employeur,
        "fr.employeur.contrat.rompu",
        "73282932000074:M-1042",
        DATA,
        moment=moment,
        identifiant="evt-1",
    )
    corps = emetteur.corps(evenement)
    headers = emetteur.signer(employeur.secret, evenement["id"], corps)
    assert headers["webhook-id"] == "evt-1"
    assert Webhook(employeur.secret).verify(corps, headers) == evenement
    with pytest.raises(WebhookVerificationError):
        Webhook(partners["caf"].secret).verify(corps, headers)
    ce = from_structured_event(HTTPMessage({"content-type": emetteur.CONTENT_TYPE}, corps))
    assert (ce.get_specversion(), ce.get_id(), ce.get_source()) == (
        "1.0",
        "evt-1",
        "urn:spie74:partner:employeur",
    )
    assert (ce.get_type(), ce.get_subject()) == (
        "fr.employeur.contrat.rompu",
        "73282932000074:M-1042",
    )
    assert ce.get_time() == moment
    assert ce.get_datacontenttype() == "application/json"
    assert ce.get_data() == DATA


def test_horodatage_ancien_refuse(partners):
    caf = partners["caf"]
    evenement = emetteur.construire_evenement(caf, "fr.caf.rsa.droits-clos", "1234567", {})
    corps = emetteur.corps(evenement)
    old = emetteur.signer(
        caf.secret, evenement["id"], corps, horodatage=datetime.now(UTC) - timedelta(minutes=6)
    )
    with pytest.raises(WebhookVerificationError):
        Webhook(caf.secret).verify(corps, old)


def test_identifiant_et_heure_par_defaut(partners):
    evenement = emetteur.construire_evenement(partners["rdv"], "fr.rdv.honore", "RDV-1", {})
    assert len(evenement["id"]) == 36
    moment = datetime.fromisoformat(evenement["time"])
    assert abs(datetime.now(UTC) - moment) < timedelta(seconds=5)
    with pytest.raises(ValueError, match="fuseau"):
        emetteur.construire_evenement(
            partners["rdv"], "fr.rdv.honore", "RDV-1", {}, moment=datetime(2026, 1, 1)
        )
    with pytest.raises(emetteur.PartenaireSansSignature):
        emetteur.construire_evenement(partners["sms"], "fr.sms.x", "x", {})


async def test_envoi_par_le_simulateur(simulateur, recepteur, partners):
    simulateur.set_platform_url(recepteur.url)
    resultat = await simulateur.evenement(
        "employeur",
        "fr.employeur.contrat.rompu",
        "73282932000074:M-1042",
        DATA,
        time="2026-11-20T10:30:00+01:00",
        id="evt-42",
    )
    assert resultat["statut_http"] == 202
    assert resultat["reponse"] == {"status": "accepted", "matched": False}
    [requete] = recepteur.requetes
    assert requete.partner == "employeur"
    assert requete.headers["content-type"] == "application/cloudevents+json"
    assert requete.headers["webhook-id"] == "evt-42"
    envoye = Webhook(partners["employeur"].secret).verify(requete.body, requete.headers)
    assert envoye == resultat["evenement"]
    assert envoye["time"] == "2026-11-20T09:30:00Z"
    assert envoye["source"] == "urn:spie74:partner:employeur"
    assert envoye["data"] == DATA


async def test_platform_url_depuis_l_environnement(simulateur, recepteur, monkeypatch):
    monkeypatch.setenv("PLATFORM_URL", recepteur.url + "/")
    resultat = await simulateur.evenement("caf", "fr.caf.rsa.droits-clos", "1234567", {})
    assert resultat["statut_http"] == 202
    assert json.loads(recepteur.requetes[0].body)["subject"] == "1234567"


async def test_erreurs_d_envoi(simulateur, client):
    simulateur.set_platform_url("http://127.0.0.1:9")  # discard port: nothing listens
    base = {"type": "fr.x", "sujet": "s", "data": {}}
    injoignable = await client.post("/_simulateur/evenements", json={"partenaire": "caf", **base})
    sans_secret = await client.post("/_simulateur/evenements", json={"partenaire": "sms", **base})
    inconnu = await client.post("/_simulateur/evenements", json={"partenaire": "poste", **base})
    naive = await client.post(
        "/_simulateur/evenements", json={"partenaire": "caf", "time": "2026-01-01T10:00", **base}
    )
    assert injoignable.status_code == 502
    assert "Plateforme injoignable" in injoignable.json()["message"]
    assert sans_secret.status_code == 422
    assert inconnu.status_code == 404
    assert naive.status_code == 422
    assert "« time »" in naive.json()["message"]
