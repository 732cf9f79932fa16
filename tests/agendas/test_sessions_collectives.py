"""Collective sessions through the API (issue 18, item 3): Thomas organises an information
session at one of his places; the référents of the Genevois français register the people they
follow, each registration an appointment of the parcours told by SMS; the last seat taken,
the next one is refused in French; the organiser reads the list of names (not the dossiers)
and records everyone's attendance at once — a no-show raises the vigie's rupture as today,
and the one parcours that refuses the outcome does not stop the others and is named."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from agendas import sessions
from agendas.courrier import TYPE_DE_DOCUMENT, bloc_adresse
from core.clock import local_day, start_of_day
from services.parcours_client import ParcoursClient
from tests.agendas.lettre import rendre
from tests.agendas.test_invitation import _attendre
from tests.agendas.test_rdv_modifie import _courriel, _ics
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from workflows.etapes.sessions import SANS_ADRESSE

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


async def _personne(
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


async def _session(thomas: httpx.AsyncClient, debut: datetime, capacite: int) -> dict[str, Any]:
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


async def _non_honore_deja(thomas: httpx.AsyncClient, pid: str) -> None:
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
        session = await _session(thomas, debut, capacite=2)
        sid = session["id"]
        a, telephone_a, nom_a = await _personne(thomas)
        c, _, _ = await _personne(thomas)
        b, telephone_b, nom_b = await _personne(amelie)
        await _non_honore_deja(thomas, a)

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
        sid = (await _session(thomas, debut, capacite=1))["id"]
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
        a, _, _ = await _personne(thomas)
        b, _, _ = await _personne(amelie)
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


ADRESSE = "Résidence du Parc, 8 avenue de la Gare"


async def test_annuler_la_session_previent_chaque_inscrit(
    plateforme: Plateforme,
    simulateur: Simulateur,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Thomas cancels his session: every registered person's appointment is cancelled in their
    parcours — Amélie's person too — and each is told why by SMS; the one with neither phone
    nor e-mail by a letter among her documents, that her référent downloads and posts; the one
    with no address either is named, and her référent told."""
    clients = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    debut = datetime.now(UTC).replace(microsecond=0) + timedelta(days=9)
    async with plateforme.client(THOMAS) as thomas, plateforme.client(AMELIE) as amelie:
        sid = (await _session(thomas, debut, capacite=4))["id"]
        a, telephone_a, _ = await _personne(thomas)
        b, telephone_b, _ = await _personne(amelie)
        c, _, nom_c = await _personne(thomas, joignable=False)
        d, _, nom_d = await _personne(thomas, joignable=False, adresse=ADRESSE)
        for referent, pid in ((thomas, a), (amelie, b), (thomas, c), (thomas, d)):
            r = await referent.post(f"{RACINE}/{sid}/inscriptions", json={"parcours_id": pid})
            assert r.status_code == 201, r.text

        r = await amelie.post(f"{RACINE}/{sid}/annulation", json={"motif": "Par erreur"})
        assert r.status_code == 403, r.text  # not her structure's session
        r = await thomas.post(f"{RACINE}/{sid}/annulation", json={"motif": " "})
        assert r.status_code == 422, r.text
        assert r.json()["erreurs"] == [
            {"champ": "motif", "message": "Indiquez pourquoi la session est annulée"}
        ]
        assert sid in [s["id"] for s in (await thomas.get(RACINE)).json()]  # nothing changed

        r = await thomas.post(
            f"{RACINE}/{sid}/annulation", json={"motif": "l'intervenante est malade"}
        )
        assert r.status_code == 200, r.text
        bilan = r.json()
        assert (bilan["transmises"], bilan["echecs"]) == (4, 0), bilan
        # the one without phone nor e-mail gets a letter; the one without an address either is
        # named, so that nobody believes her told; neither's contacts are in the answer
        assert [p["nom"] for p in bilan["annulations"] if p["courrier"]] == [nom_d]
        assert [p["nom"] for p in bilan["annulations"] if p["injoignable"]] == [nom_c]
        for coordonnee in ("Gare", "@", telephone_a):
            assert coordonnee not in r.text
        r = await thomas.post(f"{RACINE}/{sid}/annulation", json={"motif": "Encore"})
        assert r.status_code == 409, r.text
        assert r.json()["message"] == "La session est déjà annulée"
        assert sid not in [s["id"] for s in (await thomas.get(RACINE)).json()]
        r = await amelie.post(f"{RACINE}/{sid}/inscriptions", json={"parcours_id": b})
        assert r.status_code == 409, r.text

        # the letter: among d's documents and in her timeline, downloaded by her référent
        async def lettre() -> list[dict[str, Any]]:
            r = await thomas.get(f"/api/v1/parcours/{d}/documents")
            return [x for x in r.json() if x["type"] == TYPE_DE_DOCUMENT]

        (document,) = await _attendre(lettre, "la lettre d'annulation jointe aux documents")
        assert document["nom_fichier"] == "courrier-annulation-session.pdf"
        pdf = await thomas.get(f"/api/v1/parcours/{d}/documents/{document['id']}")
        assert pdf.headers["content-type"] == "application/pdf"
        fiche = await thomas.get(f"/parcours/{d}")
        assert f"/api/v1/parcours/{d}/documents/{document['id']}" in fiche.text

        # a session that has begun is not cancelled any more
        autre = (await _session(thomas, debut, capacite=1))["id"]
        monkeypatch.setattr(sessions, "maintenant", lambda: debut + timedelta(minutes=1))
        r = await thomas.post(f"{RACINE}/{autre}/annulation", json={"motif": "Trop tard"})
        assert r.status_code == 409, r.text
        assert r.json()["message"] == "La session a déjà commencé : elle ne peut plus être annulée"

    rendu = rendre(pdf.content, tmp_path / "annulation.png")
    assert rendu.fenetre == bloc_adresse("Julie", nom_d, ADRESSE, "74100", "Annemasse")
    assert rendu.encre_du_texte(f"Julie {nom_d.upper()}") > 20
    texte = " ".join(rendu.texte.split())
    assert "« Information collective RSA » prévue le" in texte
    assert "Raison de l'annulation : l'intervenante est malade." in texte
    assert rendu.encre_du_texte("Raison de l'annulation : l'intervenante est malade.") > 100

    for pid, envoi in (
        (a, "personne prévenue par SMS et courriel"),
        (b, "personne prévenue par SMS et courriel"),
        (c, SANS_ADRESSE),
        (d, "courrier à imprimer et poster, joint aux documents du parcours"),
    ):
        etat = await clients.etat(pid)
        (rdv,) = etat.rdvs
        assert rdv.statut.value == "annule"
        (fil,) = [e for e in etat.timeline if e.code == "rdv_annule_session"]
        assert f"annulée par son animateur : l'intervenante est malade ({envoi})" in fil.libelle
        assert "rdv_non_honores" not in {x.code for x in etat.alertes}

    for telephone in (telephone_a, telephone_b):

        async def sms(telephone: str = telephone) -> bool:
            textes = [m["texte"] for m in await simulateur.sms(telephone=telephone)]
            return any("est annulée : l'intervenante est malade." in t for t in textes)

        await _attendre(sms, f"le SMS d'annulation à {telephone}")


def _email(nom: str) -> str:
    return f"collectif.{nom.removeprefix('Collectif')}@example.org"  # as _personne makes it


async def test_desinscrite_la_personne_est_prevenue_par_ses_canaux_ou_par_courrier(
    plateforme: Plateforme, simulateur: Simulateur, tmp_path: Path
) -> None:
    """Withdrawn from a session, by their référent or by its organiser, the person is told: by
    SMS, and by e-mail with the .ics that removes the event the convocation added (same UID);
    without phone nor e-mail, by the letter among their documents that their référent posts.
    The organiser's withdrawal is told to the person's référent."""
    clients = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    debut = datetime.now(UTC).replace(microsecond=0) + timedelta(days=9)
    async with plateforme.client(THOMAS) as thomas, plateforme.client(AMELIE) as amelie:
        sid = (await _session(thomas, debut, capacite=3))["id"]
        a, telephone_a, nom_a = await _personne(thomas)
        b, telephone_b, _ = await _personne(amelie)
        c, _, nom_c = await _personne(amelie, joignable=False, adresse=ADRESSE)
        inscriptions = {}
        for referent, pid in ((thomas, a), (amelie, b), (amelie, c)):
            r = await referent.post(f"{RACINE}/{sid}/inscriptions", json={"parcours_id": pid})
            assert r.status_code == 201, r.text
            inscriptions[pid] = r.json()["id"]
        convocation = _ics(
            await _courriel(simulateur, _email(nom_a), "Convocation à un rendez-vous")
        )
        (evenement,) = convocation.walk("VEVENT")
        uid = str(evenement["UID"])

        # her référent withdraws a
        r = await thomas.delete(f"{RACINE}/{sid}/inscriptions/{inscriptions[a]}")
        assert r.status_code == 204, r.text
        # the organiser withdraws b and c, whom Amélie follows
        for pid in (b, c):
            r = await thomas.delete(f"{RACINE}/{sid}/inscriptions/{inscriptions[pid]}")
            assert r.status_code == 204, r.text

        async def lettre() -> list[dict[str, Any]]:
            r = await amelie.get(f"/api/v1/parcours/{c}/documents")
            return [x for x in r.json() if x["type"] == TYPE_DE_DOCUMENT]

        (document,) = await _attendre(lettre, "la lettre de désinscription jointe aux documents")
        pdf = await amelie.get(f"/api/v1/parcours/{c}/documents/{document['id']}")
        assert pdf.headers["content-type"] == "application/pdf"

    annule = _ics(
        await _courriel(
            simulateur, _email(nom_a), "Votre inscription à l'information collective est annulée"
        )
    )
    assert str(annule["METHOD"]) == "CANCEL"
    (evenement,) = annule.walk("VEVENT")
    assert (str(evenement["UID"]), evenement["STATUS"]) == (uid, "CANCELLED")
    for telephone in (telephone_a, telephone_b):

        async def sms(telephone: str = telephone) -> bool:
            textes = [m["texte"] for m in await simulateur.sms(telephone=telephone)]
            return any(
                "votre inscription à l'information collective du" in t
                and t.endswith("est annulée. Pour toute question, contactez votre référent.")
                for t in textes
            )

        await _attendre(sms, f"le SMS de désinscription à {telephone}")

    rendu = rendre(pdf.content, tmp_path / "desinscription.png")
    assert rendu.fenetre == bloc_adresse("Julie", nom_c, ADRESSE, "74100", "Annemasse")
    texte = " ".join(rendu.texte.split())
    assert "Votre inscription à la réunion « Information collective RSA » du" in texte

    for pid, fin in (
        (a, "(personne prévenue par SMS et courriel)"),
        (b, "(personne prévenue par SMS et courriel)"),
        (c, "(courrier à imprimer et poster, joint aux documents du parcours)"),
    ):
        etat = await clients.etat(pid)
        (rdv,) = etat.rdvs
        assert rdv.statut.value == "annule"
        (fil,) = [e for e in etat.timeline if e.code == "rdv_desinscrit_session"]
        par = "par son référent" if pid == a else "par l'organisateur de la session"
        assert fil.libelle.startswith(f"Désinscription {par} de la session")
        assert fil.libelle.endswith(fin)
        assert "rdv_non_honores" not in {x.code for x in etat.alertes}
