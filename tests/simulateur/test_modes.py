"""Failure modes, switched at runtime: no side effect is recorded while a partner fails."""

from __future__ import annotations

import asyncio
import smtplib
import uuid
from email.message import EmailMessage

import httpx
import pytest

from simulator.store import _echoue

SMS = {"telephone": "+33612345678", "texte": "Rappel : rendez-vous lundi à 9 h."}
pytestmark = pytest.mark.timeout(20)


def cle() -> str:
    return str(uuid.uuid4())


async def envoyer_sms(client: httpx.AsyncClient, entetes, key: str | None = None) -> httpx.Response:
    return await client.post("/sms/v1/messages", json=SMS, headers=entetes("sms", key or cle()))


@pytest.mark.parametrize(
    ("mode", "status", "extrait"),
    [("panne", 503, "indisponible"), ("erreur", 500, "Erreur interne"), ("refus", 422, "refuse")],
)
async def test_mode_d_echec_puis_retour(simulateur, client, entetes, mode, status, extrait):
    await simulateur.mode("sms", mode)
    key = cle()
    failed = await envoyer_sms(client, entetes, key)
    lecture = await client.get("/caf/v1/allocataires/123/droits-rsa", headers=entetes("caf"))
    assert failed.status_code == status
    assert extrait in failed.json()["message"]
    assert "Passerelle SMS" in failed.json()["message"]
    assert lecture.status_code == 200  # only the partner in that mode fails
    assert await simulateur.sms() == []
    await simulateur.mode("sms", "normal")
    assert (await envoyer_sms(client, entetes, key)).status_code == 202
    [sms] = await simulateur.sms()
    assert sms["appels"] == 1  # failed calls were never recorded


async def test_panne_de_la_caf_en_lecture(simulateur, client, entetes):
    await simulateur.mode("caf", "panne")
    response = await client.get("/caf/v1/allocataires/123/droits-rsa", headers=entetes("caf"))
    assert response.status_code == 503
    assert await simulateur.recus("caf") == []


async def test_lent_depasse_le_delai_du_client(simulateur, client, entetes):
    """A slow partner still applies the request; the retry with the same key replays it."""
    await simulateur.mode("sms", "lent", delai_s=0.5)
    key = cle()
    with pytest.raises(httpx.ReadTimeout):
        await client.post("/sms/v1/messages", json=SMS, headers=entetes("sms", key), timeout=0.2)
    await asyncio.sleep(0.5)
    await simulateur.mode("sms", "normal")
    retry = await envoyer_sms(client, entetes, key)
    assert retry.status_code == 202
    [sms] = await simulateur.sms()
    assert (sms["cle"], sms["appels"]) == (key, 2)


async def test_instable_deterministe(simulateur, client, entetes):
    await simulateur.mode("sms", "instable", pourcentage=50)
    first = [(await envoyer_sms(client, entetes)).status_code for _ in range(10)]
    assert first == [503, 202] * 5
    await simulateur.mode("sms", "instable", pourcentage=30)
    codes = [(await envoyer_sms(client, entetes)).status_code for _ in range(10)]
    assert codes.count(503) == 3
    assert codes[0] == 503  # the first call fails: a demo shows the retry at once
    assert len(await simulateur.sms()) == 5 + 7


@pytest.mark.parametrize("pourcentage", [0, 1, 25, 33, 50, 99, 100])
def test_part_exacte_des_echecs(pourcentage):
    assert sum(_echoue(rang, pourcentage) for rang in range(1, 101)) == pourcentage


async def test_modes_listes_et_valides(simulateur, client):
    await simulateur.mode("immersion", "lent", delai_s=2)
    modes = (await client.get("/_simulateur/modes")).json()
    assert modes["immersion"] == {"mode": "lent", "pourcentage": 50, "delai_s": 2.0}
    assert modes["messagerie"]["mode"] == "normal"
    inconnu = await client.put("/_simulateur/modes/la-poste", json={"mode": "panne"})
    assert inconnu.status_code == 404
    assert "Partenaire inconnu" in inconnu.json()["message"]
    invalide = await client.put("/_simulateur/modes/caf", json={"mode": "hors-service"})
    assert invalide.status_code == 422
    assert "« mode »" in invalide.json()["message"]


def courriel() -> EmailMessage:
    message = EmailMessage()
    message["From"] = "parcours@spie74.local"
    message["To"] = "referente@spie74.local"
    message["Subject"] = "Rappel"
    message["Message-ID"] = f"<{cle()}@parcours.spie74>"
    message.set_content("Bonjour")
    return message


def envoyer_courriel(simulateur, message: EmailMessage) -> None:
    with smtplib.SMTP(simulateur.smtp_host, simulateur.smtp_port, timeout=5) as smtp:
        smtp.send_message(message)


@pytest.mark.parametrize(
    ("mode", "erreur", "code"),
    [
        ("panne", smtplib.SMTPSenderRefused, 421),  # the platform retries
        ("erreur", smtplib.SMTPDataError, 451),  # the platform retries
        ("refus", smtplib.SMTPRecipientsRefused, None),  # the platform gives up
    ],
)
async def test_messagerie_en_echec(simulateur, mode, erreur, code):
    await simulateur.mode("messagerie", mode)
    with pytest.raises(erreur) as raised:
        await asyncio.to_thread(envoyer_courriel, simulateur, courriel())
    if code is not None:
        assert getattr(raised.value, "smtp_code", None) == code
    assert await simulateur.courriels() == []
    await simulateur.mode("messagerie", "normal")
    await asyncio.to_thread(envoyer_courriel, simulateur, courriel())
    assert len(await simulateur.courriels()) == 1
