"""An invitation to book (issue 18): the référent invites, the person receives a personal
link by SMS and e-mail, opens it on their phone, sees their référent's free slots and takes
one; the parcours records the appointment and confirms it by the same channels. The link's
secret never enters the workflow's state or history; an unknown or expired link gives
the same answer."""

from __future__ import annotations

import asyncio
import html
import re
import secrets
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import httpx

from schemas.carnet import empreinte
from schemas.invitation import StatutInvitation
from services.parcours_client import ParcoursClient
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from tests.securite.traces import historique_en_clair

CLAIRE = "ref-claire-martin"
LIEN = re.compile(r"/rdv/([A-Za-z0-9_-]{40,})")
CHAMP = re.compile(r'name="(plage_id|debut)" value="([^"]+)"')
INVALIDE = "Ce lien n&#39;est pas valable ou a expiré"


async def _attendre(quoi: Callable[[], Awaitable[Any]], message: str, delai_s: float = 30) -> Any:
    limite = asyncio.get_running_loop().time() + delai_s
    while not (trouve := await quoi()):
        if asyncio.get_running_loop().time() > limite:
            raise AssertionError(f"Toujours rien après {delai_s} s : {message}")
        await asyncio.sleep(0.1)
    return trouve


def _coordonnees() -> tuple[str, str]:
    n = secrets.randbelow(10**6)
    return f"06 {n // 10**4:02d} {n // 100 % 100:02d} {n % 100:02d} 12", f"rdv.{n}@example.org"


async def _agenda_de_claire(claire: httpx.AsyncClient) -> None:
    """14 h to 15 h by phone every weekday: slots within any invitation's window."""
    for jour in "01234":
        plage = {
            "jour": jour,
            "debut": "14:00",
            "fin": "15:00",
            "modalite": "telephone",
            "motifs": ["accompagnement"],
            "du": date.today().isoformat(),
        }
        r = await claire.post("/api/v1/agenda/plages", json=plage)
        assert r.status_code == 201, r.text


async def test_la_personne_prend_rendez_vous_par_son_lien(
    plateforme: Plateforme, simulateur: Simulateur
) -> None:
    telephone, email = _coordonnees()
    corps = donnees.accueil(date.today(), nom="Invitee", telephone=telephone, email=email)
    async with plateforme.client(CLAIRE) as claire:
        await _agenda_de_claire(claire)
        pid = (await claire.post("/api/v1/parcours", json=corps)).json()["id"]
        r = await claire.post(f"/api/v1/parcours/{pid}/inviter-rdv", json={"motif": "pique_nique"})
        assert r.status_code == 422, r.text
        assert r.json()["erreurs"][0]["champ"] == "motif"
        r = await claire.post(
            f"/api/v1/parcours/{pid}/inviter-rdv", json={"motif": "accompagnement"}
        )
        assert r.status_code == 200, r.text
        assert not LIEN.search(r.text)

    async def liens() -> list[str]:
        textes = [m["texte"] for m in await simulateur.sms(telephone=telephone)]
        textes += [str(m) for m in await simulateur.courriels(destinataire=email)]
        trouves = [m.group(1) for t in textes if (m := LIEN.search(t))]
        return trouves if len(trouves) == 2 else []

    secret_sms, secret_courriel = await _attendre(liens, "le SMS et le courriel d'invitation")
    assert secret_sms != secret_courriel  # one secret per message
    sms = (await simulateur.sms(telephone=telephone))[0]["texte"]
    assert "vous invite à prendre rendez-vous (rendez-vous d'accompagnement)" in sms

    clients = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    etat = await clients.etat(pid)
    assert {e for i in etat.invitations for e in i.empreintes} <= {
        empreinte(secret_sms),
        empreinte(secret_courriel),
    }
    historique = await historique_en_clair(plateforme.env.client, f"parcours-{pid}")
    assert secret_sms not in historique
    assert secret_courriel not in historique

    async with httpx.AsyncClient(base_url=plateforme.base_url, timeout=30) as personne:

        async def page() -> httpx.Response | None:
            r = await personne.get(f"/rdv/{secret_sms}")
            return r if r.status_code == 200 else None

        r = await _attendre(page, "la page de réservation s'ouvre (projection)")
        assert "Choisissez votre rendez-vous" in r.text
        assert "avec Claire Martin" in r.text
        champs = CHAMP.findall(r.text)
        # the last slot offered is days away, beyond the delay to move it (24 h): the first
        # one, tomorrow morning, is within it once the day is past that hour
        choix = {"plage_id": champs[-2][1], "debut": html.unescape(champs[-1][1])}

        inconnu = await personne.get(f"/rdv/{secrets.token_urlsafe(32)}")
        assert inconnu.status_code == 404
        assert INVALIDE in inconnu.text

        r = await personne.post(f"/rdv/{secret_sms}", data=choix)
        assert r.status_code == 200, r.text
        assert "Votre rendez-vous est confirmé" in r.text

        async def utilise() -> bool:
            r = await personne.get(f"/rdv/{secret_courriel}")
            return r.status_code == 200 and "Déplacer le rendez-vous" in r.text

        # every link of the invitation now shows the appointment taken, to move or cancel it
        await _attendre(utilise, "un lien d'une invitation honorée montre le rendez-vous")

    etat = await clients.etat(pid)
    assert [i.statut for i in etat.invitations] == [StatutInvitation.RESERVEE]
    (rdv,) = etat.rdvs
    assert (rdv.source, rdv.date_heure.isoformat()) == ("reservation", choix["debut"])
    assert rdv.professionnel == "Claire Martin"
    assert "rdv_reserve" in [e.code for e in etat.timeline]

    async def confirmation() -> bool:
        return any("est confirmé" in m["texte"] for m in await simulateur.sms(telephone=telephone))

    await _attendre(confirmation, "la confirmation par SMS")
    async with plateforme.client(CLAIRE) as claire:
        jour = choix["debut"][:10]
        libres = await claire.get(
            "/api/v1/agenda/creneaux", params={"motif": "accompagnement", "du": jour, "au": jour}
        )
        assert choix["debut"] not in [c["debut"] for c in libres.json()]
