"""The person moves, then cancels, the appointment taken from their link (issue 18): each
message by e-mail carries the .ics file of the same event (same UID, growing SEQUENCE, then a
CANCEL), the freed slot is offered again, the référent and the timeline see each step; once
the delay of rules/rendez_vous.yaml is passed, the page says to call the référent and changes
nothing."""

from __future__ import annotations

import html
import re
import secrets
from datetime import date, datetime
from typing import Any

import httpx
import pytest
from icalendar import Calendar

from rules.rendez_vous import regles_rendez_vous
from schemas.invitation import StatutInvitation
from schemas.rdv import StatutRdv
from services.parcours_client import ParcoursClient
from tests.agendas.test_invitation import LIEN, _attendre
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from web.cockpit import rendez_vous as page_rdv

# No other test opens plages or parcours as him: his agenda is this file's alone.
THOMAS = "ref-thomas-bernard"  # Conseil départemental, Genevois français
CHAMP = re.compile(
    r'name="plage_id" value="([^"]+)">\s*<input type="hidden" name="debut" value="([^"]+)"'
)


async def _agenda_de_thomas(thomas: httpx.AsyncClient) -> None:
    """16 h to 17 h by phone every weekday (once per session: a second time overlaps)."""
    existantes = (await thomas.get("/api/v1/agenda/plages")).json()
    if existantes:
        return
    for jour in "01234":
        plage = {
            "jour": jour,
            "debut": "16:00",
            "fin": "17:00",
            "modalite": "telephone",
            "motifs": ["accompagnement"],
            "du": date.today().isoformat(),
        }
        r = await thomas.post("/api/v1/agenda/plages", json=plage)
        assert r.status_code == 201, r.text


def _choix(page: str) -> list[dict[str, str]]:
    return [{"plage_id": p, "debut": html.unescape(d)} for p, d in CHAMP.findall(page)]


def _ics(courriel: dict[str, Any]) -> Any:
    (piece,) = courriel["pieces_jointes"]
    assert (piece["nom"], piece["type"]) == ("rendez-vous.ics", "text/calendar")
    return Calendar.from_ical(piece["contenu"])


async def _invitee(plateforme: Plateforme, simulateur: Simulateur) -> tuple[str, str, str]:
    """A person of Thomas's, invited for an accompaniment: (parcours, e-mail, link's secret)."""
    n = secrets.randbelow(10**6)
    telephone, email = (
        f"07 {n // 10**4:02d} {n // 100 % 100:02d} {n % 100:02d} 31",
        f"mod.{n}@example.org",
    )
    corps = donnees.accueil(
        date.today(),
        nom=f"Modifie{n}",
        telephone=telephone,
        email=email,
        code_postal="74100",
        commune="Annemasse",
    )
    corps["territoire"] = "genevois_francais"
    async with plateforme.client(THOMAS) as thomas:
        await _agenda_de_thomas(thomas)
        r = await thomas.post("/api/v1/parcours", json=corps)
        assert r.status_code == 201, r.text
        pid = r.json()["id"]
        r = await thomas.post(
            f"/api/v1/parcours/{pid}/inviter-rdv",
            json={"motif": "accompagnement", "canal": "courriel"},
        )
        assert r.status_code == 200, r.text

    async def lien() -> str | None:
        for m in await simulateur.courriels(destinataire=email):
            if trouve := LIEN.search(m["texte"]):
                return trouve.group(1)
        return None

    return pid, email, await _attendre(lien, "le courriel d'invitation")


async def _ouverte(personne: httpx.AsyncClient, secret: str, texte: str) -> httpx.Response:
    async def page() -> httpx.Response | None:
        r = await personne.get(f"/rdv/{secret}")
        return r if r.status_code == 200 and texte in r.text else None

    response: httpx.Response = await _attendre(page, f"la page du lien montre « {texte} »")
    return response


async def _courriel(simulateur: Simulateur, email: str, sujet: str) -> dict[str, Any]:
    async def trouve() -> dict[str, Any] | None:
        return next(
            (m for m in await simulateur.courriels(destinataire=email) if m["sujet"] == sujet), None
        )

    courriel: dict[str, Any] = await _attendre(trouve, f"le courriel « {sujet} »")
    return courriel


async def _libres(plateforme: Plateforme, jour: str) -> list[datetime]:
    async with plateforme.client(THOMAS) as thomas:
        r = await thomas.get(
            "/api/v1/agenda/creneaux", params={"motif": "accompagnement", "du": jour, "au": jour}
        )
        return [datetime.fromisoformat(c["debut"]) for c in r.json()]


async def test_la_personne_deplace_puis_annule_son_rendez_vous(
    plateforme: Plateforme, simulateur: Simulateur
) -> None:
    pid, email, secret = await _invitee(plateforme, simulateur)
    clients = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    async with httpx.AsyncClient(base_url=plateforme.base_url, timeout=30) as personne:
        r = await _ouverte(personne, secret, "Choisissez votre rendez-vous")
        # the last slots offered are days away: well beyond the delay to change them
        premier = _choix(r.text)[-1]
        r = await personne.post(f"/rdv/{secret}", data=premier)
        assert r.status_code == 200, r.text
        assert "Votre rendez-vous est confirmé" in r.text

        confirme = _ics(await _courriel(simulateur, email, "Votre rendez-vous est confirmé"))
        (evenement,) = confirme.walk("VEVENT")
        assert str(confirme["METHOD"]) == "REQUEST"
        assert evenement.decoded("DTSTART") == datetime.fromisoformat(premier["debut"])
        assert (evenement["STATUS"], evenement["SEQUENCE"]) == ("CONFIRMED", 0)
        uid = str(evenement["UID"])

        r = await _ouverte(personne, secret, "Déplacer le rendez-vous")
        assert "Annuler ce rendez-vous" in r.text
        autres = [c for c in _choix(r.text) if c["debut"] != premier["debut"]]
        second = autres[-1]
        r = await personne.post(f"/rdv/{secret}", data=second)
        assert r.status_code == 200, r.text
        assert "Votre rendez-vous est déplacé" in r.text

        deplace = _ics(await _courriel(simulateur, email, "Votre rendez-vous est déplacé"))
        (evenement,) = deplace.walk("VEVENT")
        assert str(evenement["UID"]) == uid  # the calendar moves the event it holds
        assert evenement.decoded("DTSTART") == datetime.fromisoformat(second["debut"])
        assert evenement["SEQUENCE"] == 1
        # the first slot is free again for others
        assert datetime.fromisoformat(premier["debut"]) in await _libres(
            plateforme, premier["debut"][:10]
        )
        assert datetime.fromisoformat(second["debut"]) not in await _libres(
            plateforme, second["debut"][:10]
        )

        etat = await clients.etat(pid)
        (rdv,) = etat.rdvs
        assert rdv.date_heure == datetime.fromisoformat(second["debut"])
        assert rdv.statut == StatutRdv.PREVU

        await _ouverte(personne, secret, "Déplacer le rendez-vous")
        r = await personne.post(f"/rdv/{secret}/annuler")
        assert r.status_code == 200, r.text
        assert "Votre rendez-vous est annulé" in r.text

        annule = _ics(await _courriel(simulateur, email, "Votre rendez-vous est annulé"))
        (evenement,) = annule.walk("VEVENT")
        assert str(annule["METHOD"]) == "CANCEL"
        assert (str(evenement["UID"]), evenement["STATUS"]) == (uid, "CANCELLED")
        assert datetime.fromisoformat(second["debut"]) in await _libres(
            plateforme, second["debut"][:10]
        )
        # the same link lets the person choose again, until the invitation expires
        await _ouverte(personne, secret, "Choisissez votre rendez-vous")

    etat = await clients.etat(pid)
    assert [r.statut for r in etat.rdvs] == [StatutRdv.ANNULE]
    assert [i.statut for i in etat.invitations] == [StatutInvitation.ENVOYEE]
    codes = [e.code for e in etat.timeline]
    assert {"rdv_reserve", "rdv_deplace", "rdv_annule_par_la_personne"} <= set(codes)
    async with plateforme.client(THOMAS) as thomas:

        async def notifie() -> bool:
            r = await thomas.get("/notifications")
            return "Rendez-vous annulé par la personne" in r.text

        await _attendre(notifie, "le référent est prévenu de l'annulation")


async def test_passe_le_delai_la_page_renvoie_au_referent(
    plateforme: Plateforme, simulateur: Simulateur, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid, _, secret = await _invitee(plateforme, simulateur)
    async with httpx.AsyncClient(base_url=plateforme.base_url, timeout=30) as personne:
        r = await _ouverte(personne, secret, "Choisissez votre rendez-vous")
        choix = _choix(r.text)
        r = await personne.post(f"/rdv/{secret}", data=choix[-1])
        assert r.status_code == 200, r.text
        await _ouverte(personne, secret, "Déplacer le rendez-vous")

        # A delay longer than the wait to the appointment, as on its eve with today's rules.
        regles = regles_rendez_vous()
        tardives = regles.model_copy(
            update={
                "reservation": regles.reservation.model_copy(
                    update={"modifiable_jusqu_a_heures_avant": 24 * 60}
                )
            }
        )
        monkeypatch.setattr(page_rdv, "regles_rendez_vous", lambda: tardives)
        r = await personne.get(f"/rdv/{secret}")
        assert "Il n'est plus possible de déplacer ou d'annuler" in r.text
        assert "Annuler ce rendez-vous" not in r.text
        r = await personne.post(f"/rdv/{secret}/annuler")
        assert r.status_code == 409
        r = await personne.post(f"/rdv/{secret}", data=choix[0])
        assert r.status_code == 409

    etat = await ParcoursClient(plateforme.env.client, plateforme.task_queue).etat(pid)
    assert [r.statut for r in etat.rdvs] == [StatutRdv.PREVU]
    assert etat.rdvs[0].date_heure == datetime.fromisoformat(choix[-1]["debut"])
    assert [i.statut for i in etat.invitations] == [StatutInvitation.RESERVEE]
