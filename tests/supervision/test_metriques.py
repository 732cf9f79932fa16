"""Prometheus metrics: the web's /metrics after a short scenario (commands, partner events,
gauges of the read model), its protection, and the worker's Temporal SDK metrics."""

from __future__ import annotations

import asyncio
import secrets
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import date
from typing import Any

import httpx
import pytest_asyncio
from prometheus_client.parser import text_string_to_metric_families
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from core import metriques
from core.settings import DEV_CODEC_KEY
from core.temporal import data_converter
from services.parcours_client import ParcoursClient
from tests import factories
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme, _free_socket, servir
from tests.partenaires.outils import evenement, numero_caf, poster, signe
from tests.supervision.test_tableau_de_bord import SDK
from web.app import create_app
from worker import running_worker

JETON = secrets.token_urlsafe(24)
MOTIF = {"date": "2026-11-20", "motif": "Ressources"}
Series = dict[tuple[str, frozenset[tuple[str, str]]], float]


def _series(texte: str) -> Series:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for famille in text_string_to_metric_families(texte)
        for s in famille.samples
    }


def _valeur(series: Series, nom: str, **labels: str) -> float:
    return series.get((nom, frozenset(labels.items())), 0.0)


@pytest_asyncio.fixture(scope="module")
async def supervision(plateforme: Plateforme) -> AsyncIterator[str]:
    """The same platform served by a second web app that has a METRICS_TOKEN."""
    settings = plateforme.settings.model_copy(update={"metrics_token": JETON})
    sock = _free_socket()
    async with servir(create_app(settings, task_queue=plateforme.task_queue), sock):
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


async def _gratter(base_url: str) -> tuple[str, Series]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        r = await client.get("/metrics", headers={"Authorization": f"Bearer {JETON}"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    return r.text, _series(r.text)


async def test_apres_un_court_scenario_les_compteurs_ont_avance(
    plateforme: Plateforme, supervision: str
) -> None:
    _, avant = await _gratter(supervision)
    jour = date.today()
    nom = "Metrique" + secrets.token_hex(3).upper()
    async with plateforme.client("ref-claire-martin") as claire:
        cree = await claire.post("/api/v1/parcours", json=donnees.accueil(jour, nom=nom))
        assert cree.status_code == 201, cree.text
        pid = cree.json()["id"]
        ok = await claire.post(
            f"/api/v1/parcours/{pid}/enregistrer-diagnostic", json=donnees.diagnostic(jour)
        )
        assert ok.status_code == 200, ok.text
        refus = await claire.post(f"/api/v1/parcours/{pid}/rediger-contrat", json={})
        assert refus.status_code in (409, 422), refus.text
    ev = evenement(plateforme, "caf", "fr.caf.rsa.droits-suspendus", numero_caf(), MOTIF)
    corps, entetes = signe(plateforme, "caf", ev)
    assert (await poster(plateforme, "caf", corps, entetes)).json()["status"] == "accepted"
    assert (await poster(plateforme, "caf", corps, entetes)).json()["status"] == "duplicate"
    faux = entetes | {"webhook-signature": "v1,AAAA"}
    assert (await poster(plateforme, "caf", corps, faux)).status_code == 401
    inconnu = await poster(plateforme, f"pirate-{nom}", corps, entetes)
    assert inconnu.status_code == 401

    texte, apres = await _gratter(supervision)

    def delta(nom_serie: str, **labels: str) -> float:
        return _valeur(apres, nom_serie, **labels) - _valeur(avant, nom_serie, **labels)

    commandes = "parcours_commandes_total"
    assert delta(commandes, commande="enregistrer_diagnostic", issue="ok") == 1
    assert delta(commandes, commande="rediger_contrat", issue="ok") == 0
    evenements = "parcours_evenements_partenaires_total"
    for issue in ("accepted", "duplicate"):
        assert delta(evenements, partenaire="caf", issue=issue) == 1, issue
    assert delta(evenements, partenaire="caf", issue="refused") == 1
    assert delta(evenements, partenaire="inconnu", issue="refused") == 1
    # Requests by the route's template: the parcours id never becomes a label.
    route = "/api/v1/parcours/{parcours_id}/enregistrer-diagnostic"
    requetes = "parcours_http_requetes_total"
    assert delta(requetes, methode="POST", route=route, statut="200") == 1
    assert delta(requetes, methode="POST", route="/api/v1/parcours", statut="201") == 1
    # Gauges read from the read model.
    assert _valeur(apres, "parcours_parcours", phase="diagnostic", statut="en_cours") >= 1
    assert _valeur(apres, "parcours_evenements_en_attente", statut="a_rapprocher") >= 1
    for personnel in (pid, nom, nom.lower(), "pirate", "06 11 22 33 44", "julie.martin"):
        assert personnel not in texte, personnel


async def test_les_metriques_ne_s_ouvrent_qu_avec_le_jeton_de_supervision(
    plateforme: Plateforme, supervision: str
) -> None:
    async with httpx.AsyncClient(base_url=supervision, timeout=30) as anonyme:
        assert (await anonyme.get("/metrics")).status_code == 401
        faux = await anonyme.get("/metrics", headers={"Authorization": "Bearer " + JETON[:-1]})
        assert faux.status_code == 401
        assert "parcours_" not in faux.text
    async with httpx.AsyncClient(
        base_url=supervision,
        headers={"Authorization": f"Bearer {plateforme.jetons['admin']}"},
        timeout=30,
    ) as admin:
        assert (await admin.get("/metrics")).status_code == 401  # an API token is not it
    async with plateforme.client() as sans_jeton:  # the platform's app has no METRICS_TOKEN
        absent, inconnue = await asyncio.gather(
            sans_jeton.get("/metrics"), sans_jeton.get(f"/nulle-part-{uuid.uuid4().hex}")
        )
    assert absent.status_code == 404
    assert absent.text == inconnue.text  # as if the route did not exist


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _attendre(quoi: Callable[[], Any], message: str, delai_s: float = 60) -> Any:
    limite = asyncio.get_running_loop().time() + delai_s
    while not (trouve := await quoi()):
        if asyncio.get_running_loop().time() > limite:
            raise AssertionError(f"Toujours rien après {delai_s} s : {message}")
        await asyncio.sleep(0.2)
    return trouve


async def test_le_worker_sert_les_metriques_du_sdk_temporal(
    plateforme: Plateforme, temporal_local: WorkflowEnvironment
) -> None:
    adresse = f"127.0.0.1:{_port_libre()}"
    runtime = metriques.runtime_du_worker(adresse)
    assert runtime is not None
    assert metriques.runtime_du_worker("") is None  # unset: no port opened
    client = await Client.connect(
        temporal_local.client.service_client.config.target_host,
        data_converter=data_converter(DEV_CODEC_KEY),
        runtime=runtime,
    )
    queue = f"metriques-{uuid.uuid4()}"
    async with running_worker(client, plateforme.settings, task_queue=queue):
        parcours = ParcoursClient(client, task_queue=queue)
        await parcours.ouvrir(factories.accueil_rsa(date.today()), factories.SOPHIE)

        async def activites() -> Series | None:
            async with httpx.AsyncClient(timeout=10) as http:
                texte = (await http.get(f"http://{adresse}/metrics")).text
            series = _series(texte)
            faites = sum(
                v
                for (nom, labels), v in series.items()
                if nom == "temporal_activity_execution_latency_count"
                and ("task_queue", queue) in labels
            )
            return series if faites > 0 else None

        series = await _attendre(activites, "activités comptées par le SDK")
    noms = {nom for nom, _ in series}
    assert SDK - noms == set()  # the names the dashboard and the alert rules use
