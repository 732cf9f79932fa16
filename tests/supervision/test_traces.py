"""OpenTelemetry: an API request and the activities it causes share one trace, and no span
carries a personal datum (name, phone, e-mail, birth date, a carnet secret, a search)."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest_asyncio
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from core import traces
from core.temporal import connect
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme, _free_socket, servir
from web.app import create_app
from worker import running_worker


@pytest_asyncio.fixture
async def trace(plateforme: Plateforme) -> AsyncIterator[tuple[InMemorySpanExporter, str]]:
    """The platform's database and Temporal, with a web app and a worker of their own that
    trace into memory (the same wiring as OTEL_EXPORTER_OTLP_ENDPOINT, another exporter)."""
    exportateur = InMemorySpanExporter()
    assert traces.installer("parcours-test", "", exportateur=exportateur) is not None
    try:
        queue = f"traces-{uuid.uuid4()}"
        client = await connect(plateforme.settings)  # the web's and the worker's way
        async with running_worker(client, plateforme.settings, task_queue=queue):
            sock = _free_socket()
            async with servir(create_app(plateforme.settings, task_queue=queue), sock):
                yield exportateur, f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        traces.desinstaller()


def _valeurs(span: ReadableSpan) -> list[str]:
    valeurs = [span.name, *map(str, (span.attributes or {}).values())]
    for evenement in span.events:
        valeurs += [evenement.name, *map(str, (evenement.attributes or {}).values())]
    return valeurs


async def test_une_requete_et_ses_activites_partagent_une_trace_sans_donnee_personnelle(
    plateforme: Plateforme, trace: tuple[InMemorySpanExporter, str]
) -> None:
    exportateur, base_url = trace
    nom = "Tracee" + secrets.token_hex(3).upper()
    telephone = f"06 {secrets.randbelow(90) + 10} 22 33 44"
    email = f"{nom.lower()}@example.org"
    corps = donnees.accueil(date.today(), nom=nom, telephone=telephone, email=email)
    entetes = {"Authorization": f"Bearer {plateforme.jetons['ref-claire-martin']}"}
    secret_carnet = secrets.token_urlsafe(32)
    async with httpx.AsyncClient(base_url=base_url, headers=entetes, timeout=30) as claire:
        cree = await claire.post("/api/v1/parcours", json=corps)
        assert cree.status_code == 201, cree.text
        recherche = await claire.get("/api/v1/parcours", params={"q": nom})
        assert recherche.status_code == 200
        await claire.get(f"/carnet/{secret_carnet}")
    pid = cree.json()["id"]

    def requete() -> ReadableSpan:
        (span,) = [
            s
            for s in exportateur.get_finished_spans()
            if s.name == "POST /api/v1/parcours" and s.parent is None
        ]
        return span

    async def activites_de_la_trace() -> list[ReadableSpan]:
        limite = asyncio.get_running_loop().time() + 60
        while True:
            trace_id = requete().context.trace_id
            trouvees = [
                s
                for s in exportateur.get_finished_spans()
                if s.name.startswith("RunActivity:") and s.context.trace_id == trace_id
            ]
            if trouvees or asyncio.get_running_loop().time() > limite:
                return trouvees
            await asyncio.sleep(0.2)

    activites = await activites_de_la_trace()
    assert activites, sorted({s.name for s in exportateur.get_finished_spans()})
    noms = {
        s.name
        for s in exportateur.get_finished_spans()
        if s.context.trace_id == requete().context.trace_id
    }
    assert any(n.startswith("StartWorkflow:") for n in noms), noms
    assert any(n.startswith("RunWorkflow:") for n in noms), noms
    assert (requete().attributes or {}).get("http.route") == "/api/v1/parcours"

    personnelles: dict[str, Any] = {
        "nom": nom,
        "nom en minuscules": nom.lower(),
        "téléphone": telephone,
        "téléphone sans espaces": telephone.replace(" ", ""),
        "courriel": email,
        "date de naissance": corps["usager"]["date_naissance"],
        "secret du carnet": secret_carnet,
    }
    for span in exportateur.get_finished_spans():
        for valeur in _valeurs(span):
            for quoi, donnee in personnelles.items():
                assert donnee not in valeur, f"{quoi} dans le span « {span.name} » : {valeur}"
    assert any(pid in v for s in activites for v in _valeurs(s))  # opaque ids are kept


async def test_sans_collecteur_aucune_trace() -> None:
    assert traces.installer("parcours-test", "") is None
    assert not traces.actives()
    assert traces.intercepteurs() == []
