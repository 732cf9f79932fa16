"""The people and the session of the collective-session tests (API, pages, browser): Thomas
organises at a place of the Genevois français; Amélie, of France Travail, registers people too;
Claire is of another territory."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from agendas import sessions
from core.clock import local_day, start_of_day
from tests.api import donnees

THOMAS = "ref-thomas-bernard"  # Conseil départemental, Genevois français: the organiser
AMELIE = "ref-amelie-rousseau"  # France Travail, Genevois français
CLAIRE = "ref-claire-martin"  # Bassin annécien: another territory
RACINE = "/api/v1/sessions-collectives"


def deja_commencee_aujourd_hui(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """The start of a session of today that has already begun, whatever the hour the test runs
    at: midnight in France. Its attendance may be recorded (it took place today, for the
    service and for the workflow), and people are registered to it as if an hour before its
    start (the registrations' clock, patched): a start « in a few minutes » fell on the next
    day from 23:57 on."""
    debut = start_of_day(local_day(datetime.now(UTC)))
    monkeypatch.setattr(sessions, "maintenant", lambda: debut - timedelta(hours=1))
    return debut


async def nouvelle_personne(
    referent: httpx.AsyncClient, *, joignable: bool = True, adresse: str | None = None
) -> tuple[str, str, str]:
    """(parcours, phone, name) of a new person of the Genevois français, followed by whoever
    opens it; without phone nor e-mail if not ``joignable``."""
    n = secrets.randbelow(10**6)
    telephone = f"07 {n // 10**4:02d} {n // 100 % 100:02d} {n % 100:02d} 53"
    nom = f"Collectif{n}"
    corps = donnees.accueil(
        date.today() - timedelta(days=10),  # room for an appointment missed last week
        nom=nom,
        telephone=telephone if joignable else None,
        email=f"collectif.{n}@example.org" if joignable else None,
        code_postal="74100",
        commune="Annemasse",
        adresse=adresse,
    )
    corps["territoire"] = "genevois_francais"
    r = await referent.post("/api/v1/parcours", json=corps)
    assert r.status_code == 201, r.text
    return r.json()["id"], telephone, nom


async def nouvelle_session(
    thomas: httpx.AsyncClient, debut: datetime, capacite: int
) -> dict[str, Any]:
    lieu = {
        "nom": f"Salle {secrets.token_hex(4)}",
        "adresse": "3 rue du Salève",
        "code_postal": "74100",
        "commune": "Annemasse",
    }
    r = await thomas.post("/api/v1/agenda/lieux", json=lieu)
    assert r.status_code == 201, r.text
    saisie = {
        "motif": "information_collective",
        "titre": "Information collective RSA",
        "debut": debut.isoformat(),
        "fin": (debut + timedelta(hours=2)).isoformat(),
        "lieu_id": r.json()["id"],
        "capacite": capacite,
    }
    r = await thomas.post(RACINE, json=saisie | {"lieu_id": "lieu-inconnu"})
    assert r.status_code == 422, r.text
    assert r.json()["erreurs"][0]["champ"] == "lieu_id"
    r = await thomas.post(RACINE, json=saisie)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def non_honore_deja(thomas: httpx.AsyncClient, pid: str) -> None:
    """A first appointment missed last week: one more and the vigie sees a rupture."""
    passe = datetime.now(UTC) - timedelta(days=7)
    r = await thomas.post(
        f"/api/v1/parcours/{pid}/planifier-rdv",
        json={
            "date_heure": passe.isoformat(),
            "mode": "telephone",
            "professionnel": "Thomas Bernard",
            "objet": "Point",
        },
    )
    assert r.status_code == 200, r.text
    rdv_id = r.json()["etat"]["rdvs"][-1]["id"]
    r = await thomas.post(
        f"/api/v1/parcours/{pid}/renseigner-rdv", json={"rdv_id": rdv_id, "statut": "non_honore"}
    )
    assert r.status_code == 200, r.text


ADRESSE = "Résidence du Parc, 8 avenue de la Gare"


def email_de(nom: str) -> str:
    return f"collectif.{nom.removeprefix('Collectif')}@example.org"  # as nouvelle_personne makes it
