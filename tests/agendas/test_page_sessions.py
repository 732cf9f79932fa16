"""« Sessions collectives » in the cockpit (issue 18, item 3): Thomas organises a session from
the form (a mistyped one is shown again with its error), registers a person he follows from
the session's page, sees the table of registered people and records their attendance, which
reaches the parcours; another référent of the territory sees the session, not its list."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta

import pytest

from core.clock import PARIS
from services.parcours_client import ParcoursClient
from tests.agendas.session_collective import (
    AMELIE,
    THOMAS,
    deja_commencee_aujourd_hui,
    nouvelle_personne,
)
from tests.fixtures.plateforme import Plateforme


async def test_organiser_inscrire_et_noter_la_presence(
    plateforme: Plateforme, monkeypatch: pytest.MonkeyPatch
) -> None:
    clients = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    debut = deja_commencee_aujourd_hui(monkeypatch).astimezone(PARIS)
    async with plateforme.client(THOMAS) as thomas, plateforme.client(AMELIE) as amelie:
        nom_lieu = f"Salle {secrets.token_hex(4)}"
        r = await thomas.post(
            "/api/v1/agenda/lieux",
            json={
                "nom": nom_lieu,
                "adresse": "3 rue du Salève",
                "code_postal": "74100",
                "commune": "Annemasse",
            },
        )
        lieu_id = r.json()["id"]
        pid, _, nom = await nouvelle_personne(thomas)
        formulaire = {
            "motif": "information_collective",
            "titre": f"Réunion d'information {secrets.token_hex(3)}",
            "jour": debut.date().isoformat(),
            "debut": f"{debut:%H:%M}",
            "fin": "23:59",
            "lieu_id": lieu_id,
            "capacite": "0",
        }
        page = await thomas.post("/agenda/sessions", data=formulaire)
        assert page.status_code == 422, page.text
        assert 'id="champ-capacite-erreur"' in page.text
        page = await thomas.post("/agenda/sessions", data=formulaire | {"capacite": "8"})
        assert page.status_code == 303, page.text
        adresse = page.headers["location"]
        sid = adresse.rsplit("/", 1)[1]

        page = await thomas.get("/agenda/sessions")
        assert f'href="/agenda/sessions/{sid}"' in page.text
        page = await thomas.get(adresse)
        assert "Inscrire une personne que je suis" in page.text
        assert "Personne n'est encore inscrit." in page.text
        page = await thomas.post(f"{adresse}/inscriptions", data={"parcours_id": pid})
        assert page.status_code == 200, page.text
        assert "Inscription faite : la personne est prévenue." in page.text
        (inscription,) = re.findall(r'name="presence-(insc-[0-9a-f]+)" value="honore"', page.text)
        assert nom in page.text
        assert "places libres : 7 sur 8" in page.text

        page = await amelie.get(adresse)
        assert page.status_code == 200, page.text
        assert 'id="inscrits"' not in page.text
        assert nom not in page.text

        page = await thomas.post(f"{adresse}/presences", data={f"presence-{inscription}": "honore"})
        assert page.status_code == 200, page.text
        assert "Présence notée : renseignée dans le parcours de 1 personne" in page.text
        assert (
            f'id="presence-{inscription}-honore" name="presence-{inscription}" value="honore" checked'
            in page.text
        )

    (rdv,) = (await clients.etat(pid)).rdvs
    assert rdv.statut.value == "honore"


async def test_annuler_la_session_depuis_sa_page(plateforme: Plateforme) -> None:
    """The organiser's button: a motif is asked for (422 beside its field, nothing changed);
    then the session is cancelled, each registered person's appointment too, and the page says
    so; the button is gone."""
    clients = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    debut = (datetime.now(UTC) + timedelta(days=9)).astimezone(PARIS)
    async with plateforme.client(THOMAS) as thomas, plateforme.client(AMELIE) as amelie:
        r = await thomas.post(
            "/api/v1/agenda/lieux",
            json={
                "nom": f"Salle {secrets.token_hex(4)}",
                "adresse": "3 rue du Salève",
                "code_postal": "74100",
                "commune": "Annemasse",
            },
        )
        formulaire = {
            "motif": "information_collective",
            "titre": f"Réunion d'information {secrets.token_hex(3)}",
            "jour": debut.date().isoformat(),
            "debut": "09:00",
            "fin": "11:00",
            "lieu_id": r.json()["id"],
            "capacite": "4",
        }
        page = await thomas.post("/agenda/sessions", data=formulaire)
        assert page.status_code == 303, page.text
        adresse = page.headers["location"]
        pid, _, _ = await nouvelle_personne(amelie)
        # and one with neither phone nor e-mail, whom a letter will tell
        par_lettre, _, nom = await nouvelle_personne(
            amelie, joignable=False, adresse="8 rue de la Gare"
        )
        for personne in (pid, par_lettre):
            r = await amelie.post(
                f"/api/v1/sessions-collectives/{adresse.rsplit('/', 1)[1]}/inscriptions",
                json={"parcours_id": personne},
            )
            assert r.status_code == 201, r.text

        page = await amelie.get(adresse)
        assert "Annuler la session" not in page.text  # not her structure's
        page = await thomas.get(adresse)
        assert 'action="/agenda/sessions/' in page.text
        assert "Annuler la session et prévenir les inscrits" in page.text

        page = await thomas.post(f"{adresse}/annulation", data={"motif": ""})
        assert page.status_code == 422, page.text
        assert (
            '<p class="fr-error-text" id="champ-motif-erreur">Indiquez pourquoi la session est '
            "annulée</p>" in page.text
        )
        assert "Annuler la session et prévenir les inscrits" in page.text  # still to come
        assert (await clients.etat(pid)).rdvs[0].statut.value == "prevu"

        page = await thomas.post(f"{adresse}/annulation", data={"motif": "la salle est fermée"})
        assert page.status_code == 200, page.text
        assert (
            "Session annulée : rendez-vous annulé et personne prévenue dans le parcours de "
            "2 personnes" in page.text
        )
        assert (
            "Sans téléphone ni courriel connus, cette personne est prévenue par courrier : la "
            "lettre est jointe aux documents de son parcours, son référent l'imprime et la "
            "poste" in page.text
        )
        assert f"<li>Julie {nom}</li>" in page.text
        assert "Gare" not in page.text  # her name, not her address
        assert "<strong>annulée</strong>" in page.text
        assert "Annuler la session et prévenir les inscrits" not in page.text
        page = await thomas.post(f"{adresse}/annulation", data={"motif": "la salle est fermée"})
        assert page.status_code == 409, page.text
        assert "La session est déjà annulée" in page.text

    for personne in (pid, par_lettre):
        (rdv,) = (await clients.etat(personne)).rdvs
        assert rdv.statut.value == "annule"
