"""A person with neither phone nor e-mail is invited by letter (issue 18): the référent invites as
usual, the letter (PDF) appears among the dossier's documents and in the timeline, rendered to
PNG it shows the address block and a booking code, and that code, typed on /rdv, opens the
booking page. The code is never in the history, the read model nor the logs: only the PDF."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from agendas.code import normaliser
from agendas.courrier import TYPE_DE_DOCUMENT, bloc_adresse
from schemas.carnet import empreinte
from services.parcours_client import ParcoursClient
from tests.agendas.lettre import CODE, rendre
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from tests.securite.traces import historique_en_clair, modele_de_lecture, trouve

CLAIRE = "ref-claire-martin"
ADRESSE = "Résidence Les Tilleuls, Bât. B, 12 rue de l'Église"


async def _attendre(quoi: Callable[[], Awaitable[Any]], message: str, delai_s: float = 60) -> Any:
    limite = asyncio.get_running_loop().time() + delai_s
    while not (trouve_ := await quoi()):
        if asyncio.get_running_loop().time() > limite:
            raise AssertionError(f"Toujours rien après {delai_s} s : {message}")
        await asyncio.sleep(0.1)
    return trouve_


async def _agenda_de_claire(claire: httpx.AsyncClient) -> None:
    for jour in "01234":
        plage = {
            "jour": jour,
            "debut": "16:00",
            "fin": "17:00",
            "modalite": "telephone",
            "motifs": ["accompagnement"],
            "du": date.today().isoformat(),
        }
        r = await claire.post("/api/v1/agenda/plages", json=plage)
        assert r.status_code == 201, r.text


async def test_sans_telephone_ni_courriel_la_personne_recoit_une_lettre_avec_un_code(
    plateforme: Plateforme, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    nom = f"Courrier{secrets.token_hex(3)}"
    corps = donnees.accueil(date.today(), nom=nom, telephone=None, email=None, adresse=ADRESSE)
    async with plateforme.client(CLAIRE) as claire:
        await _agenda_de_claire(claire)
        pid = (await claire.post("/api/v1/parcours", json=corps)).json()["id"]
        r = await claire.post(
            f"/api/v1/parcours/{pid}/inviter-rdv", json={"motif": "accompagnement"}
        )
        assert r.status_code == 200, r.text

        async def lettre() -> list[dict[str, Any]]:
            r = await claire.get(f"/api/v1/parcours/{pid}/documents")
            return [d for d in r.json() if d["type"] == TYPE_DE_DOCUMENT]

        (document,) = await _attendre(lettre, "la lettre jointe aux documents")
        pdf = await claire.get(f"/api/v1/parcours/{pid}/documents/{document['id']}")
        assert pdf.status_code == 200
        assert pdf.headers["content-type"] == "application/pdf"
        fiche = await claire.get(f"/parcours/{pid}")
        # the timeline of the parcours page links the letter, to print and post it
        assert f"/api/v1/parcours/{pid}/documents/{document['id']}" in fiche.text

    # the address and the code are the référent's to see: not the coordination's, who reads
    # the dossier without the person's contacts
    async with plateforme.client("coord-bassin_annecien") as coordination:
        liste = await coordination.get(f"/api/v1/parcours/{pid}/documents")
        assert document["id"] in [d["id"] for d in liste.json()]
        r = await coordination.get(f"/api/v1/parcours/{pid}/documents/{document['id']}")
        assert r.status_code == 403
        assert "Seul le référent qui accompagne la personne" in r.json()["message"]
        assert b"%PDF" not in r.content

    rendu = rendre(pdf.content, tmp_path / "lettre.png")
    assert rendu.fenetre == bloc_adresse("Julie", nom, ADRESSE, "74000", "Annecy")
    assert rendu.encre_du_texte(f"Julie {nom.upper()}") > 20
    (code_imprime,) = CODE.findall(rendu.texte)
    assert rendu.encre_du_texte(code_imprime) > 200
    code = normaliser(code_imprime)
    assert code is not None
    assert "Claire Martin, votre référent, vous invite à prendre rendez-vous" in rendu.texte

    clients = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    etat = await clients.etat(pid)
    (invitation,) = etat.invitations
    assert invitation.empreintes == [empreinte(code)]
    (ligne,) = [e for e in etat.timeline if e.code == "invitation_rdv"]
    assert "par courrier, à imprimer et poster" in ligne.libelle

    # the code opens the booking page, typed as a person would type it
    async with httpx.AsyncClient(base_url=plateforme.base_url, timeout=60) as personne:
        r = await personne.get("/rdv")
        assert r.status_code == 200
        assert "Code de rendez-vous" in r.text
        r = await personne.get("/rdv", params={"code": "K7QM-3XRP"})
        assert r.status_code == 422
        assert "Ce code n&#39;a pas la bonne forme" in r.text
        tape = code_imprime.lower().replace("-", " ")
        r = await personne.get("/rdv", params={"code": tape})
        assert r.status_code == 303
        assert r.headers["location"] == f"/rdv/{code}"

        async def page() -> httpx.Response | None:
            r = await personne.get(f"/rdv/{code}")
            return r if r.status_code == 200 else None

        r = await _attendre(page, "la page de réservation s'ouvre avec le code")
        assert "Choisissez votre rendez-vous" in r.text
        assert "avec Claire Martin" in r.text
        assert code not in r.text

    # the letter is the code's only channel
    formes = (code, code_imprime)
    historique = await historique_en_clair(plateforme.env.client, f"parcours-{pid}")
    assert not [f for f in formes if f in historique]
    lignes = await modele_de_lecture(plateforme.settings.effective_database_url)
    assert trouve(lignes, *formes) == []
    # The test's own HTTP client, as the person's browser, names the code (httpx, httpcore): not
    # the platform's logs. The platform itself sends the code over HTTP to no one.
    navigateur = ("httpx", "httpcore")
    fuites = [
        f"{r.name}: {r.getMessage()}"
        for r in caplog.records
        if any(f in r.getMessage() for f in formes) and not r.name.startswith(navigateur)
    ]
    assert not fuites
