"""The référent convokes a person directly on a free slot of their agenda (issue 18, item 2):
the slot is booked like a person's booking, the parcours records the appointment, the person
is told by SMS and e-mail with the .ics file; the same slot for someone else is refused in
French with the next slots, and nothing else is written."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import Any

import httpx

from services.parcours_client import ParcoursClient
from tests.agendas.test_invitation import _attendre
from tests.agendas.test_rdv_modifie import THOMAS, _agenda_de_thomas, _courriel, _ics, _libres
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur


async def _personne_de_thomas(thomas: httpx.AsyncClient) -> tuple[str, str, str]:
    """(parcours, phone, e-mail) of a new person followed by Thomas."""
    n = secrets.randbelow(10**6)
    telephone = f"07 {n // 10**4:02d} {n // 100 % 100:02d} {n % 100:02d} 52"
    email = f"convoque.{n}@example.org"
    corps = donnees.accueil(
        date.today(),
        nom=f"Convoque{n}",
        telephone=telephone,
        email=email,
        code_postal="74100",
        commune="Annemasse",
    )
    corps["territoire"] = "genevois_francais"
    r = await thomas.post("/api/v1/parcours", json=corps)
    assert r.status_code == 201, r.text
    return r.json()["id"], telephone, email


async def test_le_referent_convoque_sur_un_creneau_de_son_agenda(
    plateforme: Plateforme, simulateur: Simulateur
) -> None:
    async with plateforme.client(THOMAS) as thomas:
        await _agenda_de_thomas(thomas)
        pid, telephone, email = await _personne_de_thomas(thomas)
        autre, _, _ = await _personne_de_thomas(thomas)
        du = date.today() + timedelta(days=3)
        r = await thomas.get(
            "/api/v1/agenda/creneaux",
            params={
                "motif": "accompagnement",
                "du": du.isoformat(),
                "au": (du + timedelta(days=10)).isoformat(),
            },
        )
        creneau: dict[str, Any] = r.json()[0]
        demande = {
            "parcours_id": pid,
            "motif": "accompagnement",
            "plage_id": creneau["plage_id"],
            "debut": creneau["debut"],
        }

        r = await thomas.post(
            "/api/v1/agenda/convocations", json=demande | {"motif": "pique_nique"}
        )
        assert r.status_code == 422, r.text
        assert r.json()["erreurs"][0]["champ"] == "motif"

        r = await thomas.post("/api/v1/agenda/convocations", json=demande)
        assert r.status_code == 200, r.text
        debut = datetime.fromisoformat(creneau["debut"])
        assert debut not in await _libres(plateforme, creneau["debut"][:10])

        # the same slot for another person: refused in French, with the next free ones
        r = await thomas.post("/api/v1/agenda/convocations", json=demande | {"parcours_id": autre})
        assert r.status_code == 409, r.text
        assert "Ce créneau vient d'être pris par quelqu'un d'autre. Créneaux suivants :" in r.text
        # a booking that does not exist cannot be used by the command's own route
        r = await thomas.post(
            f"/api/v1/parcours/{pid}/convoquer-rdv", json={"reservation_id": "resa-inconnue"}
        )
        assert r.status_code == 422, r.text
        assert r.json()["erreurs"][0]["champ"] == "reservation_id"

    clients = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    etat = await clients.etat(pid)
    (rdv,) = etat.rdvs
    assert (rdv.source, rdv.date_heure, rdv.professionnel) == (
        "convocation",
        debut,
        "Thomas Bernard",
    )
    assert "rdv_convoque" in [e.code for e in etat.timeline]
    assert (await clients.etat(autre)).rdvs == []

    async def sms() -> bool:
        textes = [m["texte"] for m in await simulateur.sms(telephone=telephone)]
        return any("vous convoque à un rendez-vous" in t for t in textes)

    await _attendre(sms, "le SMS de convocation")
    calendrier = _ics(await _courriel(simulateur, email, "Convocation à un rendez-vous"))
    (evenement,) = calendrier.walk("VEVENT")
    assert evenement.decoded("DTSTART") == debut
    assert evenement["STATUS"] == "CONFIRMED"
