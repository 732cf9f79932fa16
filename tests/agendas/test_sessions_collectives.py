"""Collective sessions through the API (issue 18, item 3): Thomas organises an information
session at one of his places; the référents of the Genevois français register the people they
follow, each registration an appointment of the parcours told by SMS; the last seat taken,
the next one is refused in French; the organiser reads the list of names (not the dossiers)
and records everyone's attendance at once — a no-show raises the vigie's rupture as today,
and the one parcours that refuses the outcome does not stop the others and is named."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.clock import local_day
from services.parcours_client import ParcoursClient
from tests.agendas.session_collective import (
    AMELIE,
    CLAIRE,
    RACINE,
    THOMAS,
    deja_commencee_aujourd_hui,
    non_honore_deja,
    nouvelle_personne,
    nouvelle_session,
)
from tests.agendas.test_invitation import _attendre
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur


async def test_inscriptions_liste_et_presence_pour_tous(
    plateforme: Plateforme, simulateur: Simulateur, monkeypatch: pytest.MonkeyPatch
) -> None:
    clients = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    debut = deja_commencee_aujourd_hui(monkeypatch)
    async with (
        plateforme.client(THOMAS) as thomas,
        plateforme.client(AMELIE) as amelie,
        plateforme.client(CLAIRE) as claire,
    ):
        session = await nouvelle_session(thomas, debut, capacite=2)
        sid = session["id"]
        a, telephone_a, nom_a = await nouvelle_personne(thomas)
        c, _, _ = await nouvelle_personne(thomas)
        b, telephone_b, nom_b = await nouvelle_personne(amelie)
        await non_honore_deja(thomas, a)

        # the référents of the territory see it; another territory does not
        assert sid in [s["id"] for s in (await amelie.get(RACINE)).json()]
        assert sid not in [s["id"] for s in (await claire.get(RACINE)).json()]
        r = await claire.post(f"{RACINE}/{sid}/inscriptions", json={"parcours_id": a})
        assert r.status_code == 404, r.text
        # a référent registers only the people they follow
        r = await amelie.post(f"{RACINE}/{sid}/inscriptions", json={"parcours_id": a})
        assert r.status_code == 404, r.text  # not hers: as if it did not exist

        r = await thomas.post(f"{RACINE}/{sid}/inscriptions", json={"parcours_id": a})
        assert r.status_code == 201, r.text
        inscription_a = r.json()
        assert inscription_a["rdv_id"]
        r = await thomas.post(f"{RACINE}/{sid}/inscriptions", json={"parcours_id": a})
        assert r.status_code == 409, r.text
        assert r.json()["message"] == "Cette personne est déjà inscrite à cette session."
        r = await amelie.post(f"{RACINE}/{sid}/inscriptions", json={"parcours_id": b})
        assert r.status_code == 201, r.text

        # the last seat is gone: refused in French, nothing written in the parcours
        r = await thomas.post(f"{RACINE}/{sid}/inscriptions", json={"parcours_id": c})
        assert r.status_code == 409, r.text
        assert r.json()["message"].startswith("Cette session est complète. ")
        assert (await clients.etat(c)).rdvs == []

        # the organiser's list: names, no contact, no dossier; nobody else's
        r = await thomas.get(f"{RACINE}/{sid}/inscrits")
        assert r.status_code == 200, r.text
        assert sorted(i["nom"] for i in r.json()) == sorted([nom_a, nom_b])
        assert telephone_b not in r.text
        assert b not in r.text
        r = await amelie.get(f"{RACINE}/{sid}/inscrits")
        assert r.status_code == 403, r.text
        ids = {
            i["nom"]: i["inscription_id"]
            for i in (await thomas.get(f"{RACINE}/{sid}/inscrits")).json()
        }

        # everyone's attendance at once, by the organiser: Amélie's person too, whom Thomas
        # does not follow (the workflow lets him touch that registration's appointment only)
        r = await thomas.post(
            f"{RACINE}/{sid}/presences",
            json={
                "presences": [
                    {"inscription_id": ids[nom_b], "statut": "honore"},
                    {"inscription_id": ids[nom_a], "statut": "non_honore"},
                ]
            },
        )
        assert r.status_code == 200, r.text
        bilan = r.json()
        assert (bilan["transmises"], bilan["echecs"]) == (2, 0), bilan
        # once recorded, it is recorded: typed again, the parcours refuses it and says why
        r = await thomas.post(
            f"{RACINE}/{sid}/presences",
            json={"presences": [{"inscription_id": ids[nom_b], "statut": "excuse"}]},
        )
        assert r.status_code == 200, r.text
        (refusee,) = r.json()["presences"]
        assert not refusee["transmise"]
        assert "déjà renseignée (honoré)" in refusee["erreur"], refusee
        presences = {
            i["nom"]: i["presence"] for i in (await thomas.get(f"{RACINE}/{sid}/inscrits")).json()
        }
        assert presences == {nom_a: "non_honore", nom_b: "excuse"}  # what was typed, kept

    etat_a = await clients.etat(a)
    rdv = next(x for x in etat_a.rdvs if x.reservation_id == inscription_a["id"])
    assert (rdv.source, rdv.statut.value, rdv.objet) == (
        "convocation",
        "non_honore",
        "Information collective",
    )
    assert "rdv_non_honores" in {x.code for x in etat_a.alertes}
    etat_b = await clients.etat(b)
    (rdv_b,) = etat_b.rdvs
    assert rdv_b.statut.value == "honore"  # reached the parcours Amélie follows
    (fil,) = [e for e in etat_b.timeline if e.code == "rdv_honore"]
    assert fil.libelle.endswith(
        "honoré — présence notée par l'animateur de la session « Information collective RSA »"
    )

    for telephone in (telephone_a, telephone_b):

        async def sms(telephone: str = telephone) -> bool:
            textes = [m["texte"] for m in await simulateur.sms(telephone=telephone)]
            return any("(information collective)" in t for t in textes)

        await _attendre(sms, f"le SMS de la session à {telephone}")


async def test_desinscription_rend_la_place_et_annule_le_rendez_vous(
    plateforme: Plateforme,
) -> None:
    clients = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    debut = datetime.now(UTC).replace(microsecond=0) + timedelta(days=9)
    async with plateforme.client(THOMAS) as thomas, plateforme.client(AMELIE) as amelie:
        sid = (await nouvelle_session(thomas, debut, capacite=1))["id"]
        # a collective motif is never received one by one in a plage
        plage = {
            "jour": "0",
            "debut": "08:00",
            "fin": "10:00",
            "modalite": "telephone",
            "motifs": ["information_collective"],
            "du": date(2031, 1, 6).isoformat(),
            "au": date(2031, 1, 6).isoformat(),
        }
        r = await thomas.post("/api/v1/agenda/plages", json=plage)
        assert r.status_code == 422, r.text
        assert r.json()["erreurs"] == [
            {
                "champ": "motifs",
                "message": "Ce motif se tient en session collective, pas dans une plage",
            }
        ]
        a, _, _ = await nouvelle_personne(thomas)
        b, _, _ = await nouvelle_personne(amelie)
        r = await thomas.post(f"{RACINE}/{sid}/inscriptions", json={"parcours_id": a})
        assert r.status_code == 201, r.text
        inscription = r.json()
        # attendance is for a session that took place
        r = await thomas.post(
            f"{RACINE}/{sid}/presences",
            json={"presences": [{"inscription_id": inscription["id"], "statut": "honore"}]},
        )
        assert r.status_code == 409, r.text
        assert r.json()["message"] == "La session n'a pas encore eu lieu"
        r = await amelie.post(f"{RACINE}/{sid}/inscriptions", json={"parcours_id": b})
        assert r.status_code == 409, r.text
        # only the person's référent withdraws them
        r = await amelie.delete(f"{RACINE}/{sid}/inscriptions/{inscription['id']}")
        assert r.status_code == 404, r.text
        r = await thomas.delete(f"{RACINE}/{sid}/inscriptions/{inscription['id']}")
        assert r.status_code == 204, r.text
        r = await thomas.delete(f"{RACINE}/{sid}/inscriptions/{inscription['id']}")
        assert r.status_code == 404, r.text
        r = await amelie.post(f"{RACINE}/{sid}/inscriptions", json={"parcours_id": b})
        assert r.status_code == 201, r.text  # the seat was freed
    (rdv,) = (await clients.etat(a)).rdvs
    assert rdv.statut.value == "annule"
    assert local_day(rdv.date_heure) == local_day(debut)
