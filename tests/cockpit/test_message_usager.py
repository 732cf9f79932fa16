"""The référent writes to the person from the dossier: a template fills the form, the preview
shows the filled text and what the SMS costs (GSM-7 or UCS-2), the SMS reaches the gateway
through the outbox like the reminders, and the timeline keeps the text without the carnet
link's secret. Only the référent sends; a wrong field is refused by name."""

from __future__ import annotations

import re
import secrets
from typing import Any

import httpx

from tests.cockpit.conftest import COORD, HTMX, KARIM, ouvrir, stable
from tests.cockpit.test_notifications import attendre
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur


def _telephone() -> str:
    return f"06 {secrets.randbelow(100):02d} {secrets.randbelow(100):02d} 12 34"


async def _dossier(claire: httpx.AsyncClient, telephone: str) -> str:
    pid = await ouvrir(claire, prenom="Zoé", telephone=telephone)
    await stable(claire, pid)
    return pid


async def _timeline(client: httpx.AsyncClient, pid: str) -> list[dict[str, Any]]:
    etat = (await client.get(f"/api/v1/parcours/{pid}")).json()["etat"]
    return list(etat["timeline"])


async def test_sms_libre_envoye_et_dans_la_frise(
    plateforme: Plateforme, simulateur: Simulateur, claire: httpx.AsyncClient
) -> None:
    telephone = _telephone()
    pid = await _dossier(claire, telephone)
    r = await claire.post(
        f"/api/v1/parcours/{pid}/envoyer-message",
        json={"canal": "sms", "texte": "Bonjour {prenom}, rappelez-moi au bureau. {referent}"},
    )
    assert r.status_code == 200, r.text

    async def recu() -> list[dict[str, Any]]:
        return await simulateur.sms(telephone=telephone)

    sms = await attendre(recu, "SMS à la passerelle")
    assert sms[0]["texte"] == "Bonjour Zoé, rappelez-moi au bureau. Claire Martin"
    frise = [e for e in await _timeline(claire, pid) if e["code"] == "message_usager"]
    assert [e["libelle"] for e in frise] == [
        "SMS envoyé à la personne : « Bonjour Zoé, rappelez-moi au bureau. Claire Martin »"
    ]


async def test_lien_du_carnet_envoye_sans_secret_dans_la_frise(
    plateforme: Plateforme, simulateur: Simulateur, claire: httpx.AsyncClient
) -> None:
    telephone = _telephone()
    pid = await _dossier(claire, telephone)
    r = await claire.post(
        f"/api/v1/parcours/{pid}/envoyer-message",
        json={"canal": "sms", "modele": "carnet", "texte": "Votre carnet : {lien_carnet}"},
    )
    assert r.status_code == 200, r.text

    async def lien() -> str | None:
        for s in await simulateur.sms(telephone=telephone):
            if trouve := re.search(r"/carnet/([A-Za-z0-9_-]{40,})", s["texte"]):
                return trouve.group(1)
        return None

    secret = await attendre(lien, "SMS avec le lien du carnet")
    async with httpx.AsyncClient(timeout=60, base_url=plateforme.base_url) as personne:

        async def ouvre() -> bool:  # once the link's fingerprint is in the read model
            return (await personne.get(f"/carnet/{secret}")).status_code == 200

        await attendre(ouvre, "le lien reçu ouvre le carnet")
    etat = (await claire.get(f"/api/v1/parcours/{pid}")).text
    assert secret not in etat
    assert "Votre carnet : [lien du carnet]" in etat


async def test_refus_nomme_le_champ_et_reserve_au_referent(
    plateforme: Plateforme, claire: httpx.AsyncClient
) -> None:
    pid = await _dossier(claire, _telephone())
    avant = len(await _timeline(claire, pid))
    inconnu = await claire.post(
        f"/api/v1/parcours/{pid}/envoyer-message",
        json={"canal": "sms", "texte": "Bonjour {prénom}"},
    )
    assert inconnu.status_code == 422, inconnu.text
    assert inconnu.json()["erreurs"][0]["champ"] == "texte"
    assert "Champ inconnu : {prénom}" in inconnu.json()["erreurs"][0]["message"]
    sans_rdv = await claire.post(
        f"/api/v1/parcours/{pid}/envoyer-message",
        json={"canal": "sms", "texte": "Rendez-vous le {prochain_rdv}"},
    )
    assert sans_rdv.status_code == 422, sans_rdv.text
    assert "prochain rendez-vous" in sans_rdv.json()["erreurs"][0]["message"]
    async with plateforme.client(COORD) as coord:
        r = await coord.post(
            f"/api/v1/parcours/{pid}/envoyer-message", json={"canal": "sms", "texte": "Bonjour"}
        )
        assert r.status_code == 403, r.text
    assert len(await _timeline(claire, pid)) == avant


async def test_apercu_et_compte_des_sms(plateforme: Plateforme, claire: httpx.AsyncClient) -> None:
    pid = await _dossier(claire, _telephone())
    url = f"/parcours/{pid}/message/apercu"

    court = await claire.post(
        url, data={"canal": "sms", "texte": "Bonjour {prenom} !"}, headers=HTMX
    )
    assert court.status_code == 200, court.text
    assert "Bonjour Zoé !" in court.text
    assert "13 caractères — 1 SMS (GSM-7 : 160 caractères par SMS)" in court.text

    long = await claire.post(url, data={"canal": "sms", "texte": "a" * 161}, headers=HTMX)
    assert "161 caractères — 2 SMS (GSM-7 : 153 caractères par SMS" in long.text

    accent = await claire.post(url, data={"canal": "sms", "texte": "À bientôt"}, headers=HTMX)
    assert "9 caractères — 1 SMS (UCS-2 : 70 caractères par SMS)" in accent.text
    assert "alphabet des SMS : « À », « ô »." in accent.text

    async with plateforme.client(KARIM) as karim:  # not his dossier: as if it did not exist
        assert (await karim.post(url, data={"texte": "x"}, headers=HTMX)).status_code == 404
    async with plateforme.client(COORD) as coord:  # may read the dossier, not write to her
        assert (await coord.post(url, data={"texte": "x"}, headers=HTMX)).status_code == 403


async def test_modele_remplit_le_formulaire(claire: httpx.AsyncClient) -> None:
    pid = await _dossier(claire, _telephone())
    r = await claire.post(
        f"/parcours/{pid}/commandes/envoyer_message",
        data={"_action": "recharger", "canal": "sms", "modele": "nouvelles", "texte": ""},
        headers=HTMX,
    )
    assert r.status_code == 200, r.text
    assert "je n&#39;ai pas eu de vos nouvelles" in r.text
    assert 'id="apercu-message"' in r.text
