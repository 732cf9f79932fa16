"""The coordination's own actions: attaching an unmatched partner event to a parcours found
by name, the bulk retry of one partner, and the orientation form listing the référents of the
organisme chosen."""

from __future__ import annotations

import json
import re
from datetime import date

import httpx

from tests.api import donnees
from tests.cockpit.conftest import COORD, HTMX, nom_unique, stable
from tests.cockpit.html import element, textes
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from tests.partenaires.outils import attendre, identifiant_france_travail


async def test_rattacher_un_evenement_a_rapprocher(
    plateforme: Plateforme, simulateur: Simulateur, claire: httpx.AsyncClient
) -> None:
    nom = nom_unique()
    corps = donnees.accueil(date.today(), nom=nom) | {"identifiants": {}, "doublon_confirme": True}
    pid = (await claire.post("/api/v1/parcours", json=corps)).json()["id"]
    await stable(claire, pid)
    sujet = identifiant_france_travail()
    envoi = await simulateur.evenement(
        "france-travail",
        "fr.france-travail.demandeur.radie",
        sujet,
        {"date": date.today().isoformat(), "motif": "Absence à convocation"},
    )
    assert envoi["statut_http"] == 202, envoi
    evenement_id = envoi["evenement"]["id"]

    async with plateforme.client(COORD) as coord:

        async def en_attente() -> str | None:
            html = (await coord.get("/coordination/fragments/a_rapprocher", headers=HTMX)).text
            return html if sujet in html else None

        file = await attendre(en_attente, "événement dans la file à rapprocher")
        assert "Radiation de France Travail" in textes(file)
        params = {"partenaire": "france-travail", "evenement_id": evenement_id, "q": nom}
        trouve = await coord.get("/coordination/rapprocher/recherche", params=params, headers=HTMX)
        assert f'name="parcours_id" value="{pid}"' in trouve.text
        rattache = await coord.post(
            "/coordination/rapprocher",
            data={"partenaire": "france-travail", "evenement_id": evenement_id, "parcours_id": pid},
            headers=HTMX,
        )
        assert rattache.status_code == 200, rattache.text
        assert "parcours-modifie" in json.loads(rattache.headers["HX-Trigger"])
        deja = await coord.post(
            "/coordination/rapprocher",
            data={"partenaire": "france-travail", "evenement_id": evenement_id, "parcours_id": pid},
            headers=HTMX,
        )
        assert deja.status_code == 404  # out of the queue: said like an unknown id
        assert "déjà destiné à un parcours" in textes(deja.text)
        assert sujet not in (await coord.get("/coordination/fragments/a_rapprocher")).text

    async def livre() -> dict | None:
        etat = (await claire.get(f"/api/v1/parcours/{pid}")).json()["etat"]
        radie = any("Radiation" in e["libelle"] for e in etat["timeline"])
        return etat if radie else None

    etat = await attendre(livre, "événement livré au parcours")
    assert etat["identifiants"]["france_travail"] == sujet


async def test_relance_groupee(plateforme: Plateforme, claire: httpx.AsyncClient) -> None:
    async with plateforme.client(COORD) as coord:
        inconnu = await coord.post(
            "/coordination/incidents/relancer", data={"partenaire": "nasa"}, headers=HTMX
        )
        assert inconnu.status_code == 422
        rien = await coord.post(
            "/coordination/incidents/relancer", data={"partenaire": "siae"}, headers=HTMX
        )
        assert rien.status_code == 200
        assert "0 nouvelle tentative lancée" in textes(rien.text)
    refus = await claire.post(
        "/coordination/incidents/relancer", data={"partenaire": "caf"}, headers=HTMX
    )
    assert refus.status_code == 403


async def test_referents_de_l_organisme_choisi(claire: httpx.AsyncClient, accueilli: str) -> None:
    url = f"/parcours/{accueilli}/commandes/decider_orientation"
    diag = await claire.post(
        f"/api/v1/parcours/{accueilli}/enregistrer-diagnostic",
        json=donnees.diagnostic(date.today()),
    )
    assert diag.status_code == 200, diag.text
    formulaire = await claire.get(url, headers=HTMX)
    assert "Pourquoi :" in textes(element(formulaire.text, "formulaire-decider_orientation"))
    recharge = await claire.post(
        url, data={"organisme": "mission_locale", "_action": "recharger"}, headers=HTMX
    )
    choix = element(recharge.text, "champ-referent_id")
    assert "Léa Dubois" in choix
    assert "Karim Benali" not in choix
    assert "HX-Trigger" not in recharge.headers


async def test_trouver_une_personne_parmi_les_parcours_du_territoire(
    plateforme: Plateforme, claire: httpx.AsyncClient
) -> None:
    """The coordination's list shows 20 parcours a page: a coordinator finds one person by
    name or reference, and the map counts what the search keeps."""
    pids = []
    for nom in (nom_unique(), nom_unique()):  # another person of the territory, at least
        corps = donnees.accueil(date.today(), nom=nom) | {"doublon_confirme": True}
        pids.append((await claire.post("/api/v1/parcours", json=corps)).json()["id"])
        await stable(claire, pids[-1])
    pid = pids[-1]
    reference = (await claire.get(f"/api/v1/parcours/{pid}")).json()["reference"]

    async with plateforme.client(COORD) as coord:
        for cherche in (nom.lower(), reference):
            page = await coord.get("/coordination", params={"q": cherche})
            assert page.status_code == 200, page.text
            liste = element(page.text, "parcours")
            assert f"recherche « {cherche} » (1)" in textes(liste)
            assert f'href="/parcours/{pid}"' in liste
            carte = element(page.text, "carte")
            assert sum(int(n) for n in re.findall(r'class="carte-nombre">(\d+)<', carte)) == 1
            assert f'value="{cherche}"' in element(page.text, "f-q")
        fragment = await coord.get(
            "/coordination/fragments/parcours", params={"q": reference}, headers=HTMX
        )
        assert f"recherche « {reference} » (1)" in textes(fragment.text)

        trop_long = await coord.get("/coordination", params={"q": "x" * 101})
        assert trop_long.status_code == 422
        assert [e["champ"] for e in trop_long.json()["erreurs"]] == ["q"]
