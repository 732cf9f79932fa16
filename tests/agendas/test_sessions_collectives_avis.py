"""Collective sessions through the API, what people are told (issue 18): the organiser cancels
his session and every registered person hears why, by SMS or e-mail, or by a letter their
référent posts; a person withdrawn from a session is told the same way, and the organiser's
withdrawal reaches their référent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from agendas import sessions
from agendas.courrier import TYPE_DE_DOCUMENT, bloc_adresse
from services.parcours_client import ParcoursClient
from tests.agendas.lettre import rendre
from tests.agendas.session_collective import (
    ADRESSE,
    AMELIE,
    RACINE,
    THOMAS,
    email_de,
    nouvelle_personne,
    nouvelle_session,
)
from tests.agendas.test_invitation import _attendre
from tests.agendas.test_rdv_modifie import _courriel, _ics
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from workflows.etapes.sessions import SANS_ADRESSE


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
        sid = (await nouvelle_session(thomas, debut, capacite=4))["id"]
        a, telephone_a, _ = await nouvelle_personne(thomas)
        b, telephone_b, _ = await nouvelle_personne(amelie)
        c, _, nom_c = await nouvelle_personne(thomas, joignable=False)
        d, _, nom_d = await nouvelle_personne(thomas, joignable=False, adresse=ADRESSE)
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
        autre = (await nouvelle_session(thomas, debut, capacite=1))["id"]
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
        sid = (await nouvelle_session(thomas, debut, capacite=3))["id"]
        a, telephone_a, nom_a = await nouvelle_personne(thomas)
        b, telephone_b, _ = await nouvelle_personne(amelie)
        c, _, nom_c = await nouvelle_personne(amelie, joignable=False, adresse=ADRESSE)
        inscriptions = {}
        for referent, pid in ((thomas, a), (amelie, b), (amelie, c)):
            r = await referent.post(f"{RACINE}/{sid}/inscriptions", json={"parcours_id": pid})
            assert r.status_code == 201, r.text
            inscriptions[pid] = r.json()["id"]
        convocation = _ics(
            await _courriel(simulateur, email_de(nom_a), "Convocation à un rendez-vous")
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
            simulateur, email_de(nom_a), "Votre inscription à l'information collective est annulée"
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
