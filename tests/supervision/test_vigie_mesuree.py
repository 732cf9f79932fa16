"""The duration of a vigie run, in the worker's Prometheus metrics (the SDK's exporter, the
one `WORKER_METRICS_ADDRESS` opens), as the dashboard and an alert read it."""

from __future__ import annotations

import asyncio
import socket
import uuid
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from temporalio.testing import WorkflowEnvironment

from core import metriques
from core import search_attributes as sa
from core.settings import DEV_CODEC_KEY, Settings
from core.temporal import data_converter
from schemas.vigie_quotidienne import BilanVigie, OptionsVigie
from tests.fixtures.outils import binary
from worker import running_worker

PAUSE_S = 1.0


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _tournees(adresse: str) -> tuple[float, float, list[str]]:
    """(count, sum, bucket bounds) of the histogram."""
    async with httpx.AsyncClient(timeout=10) as http:
        texte = (await http.get(f"http://{adresse}/metrics")).text
    echantillons = [
        s
        for famille in text_string_to_metric_families(texte)
        for s in famille.samples
        if s.name.startswith(metriques.VIGIE_DUREE)
    ]
    valeurs = {s.name: s.value for s in echantillons}
    seuils = [s.labels["le"] for s in echantillons if s.name.endswith("_bucket")]
    nom = metriques.VIGIE_DUREE
    return valeurs.get(f"{nom}_count", 0.0), valeurs.get(f"{nom}_sum", 0.0), seuils


async def test_la_duree_d_une_tournee_de_la_vigie_est_mesuree(tmp_path: Path) -> None:
    adresse = f"127.0.0.1:{_port_libre()}"
    runtime = metriques.runtime_du_worker(adresse)
    assert runtime is not None
    # A server of its own: the vigie signals every running parcours of its server, and those
    # of the session's shared server belong to other tests.
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=binary("temporal"),
        data_converter=data_converter(DEV_CODEC_KEY),
        search_attributes=sa.ALL,
        runtime=runtime,
    )
    settings = Settings(
        DATA_DIR=tmp_path,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'vigie.db'}",
        TEMPORAL_ADDRESS=env.client.service_client.config.target_host,
    )
    queue = f"vigie-{uuid.uuid4()}"
    try:
        async with running_worker(env.client, settings, task_queue=queue, repartiteur=False):
            assert (await _tournees(adresse))[0] == 0
            bilan = await env.client.execute_workflow(
                "VigieQuotidienne",
                OptionsVigie(pause_s=PAUSE_S),
                id=f"vigie-{uuid.uuid4()}",
                task_queue=queue,
                result_type=BilanVigie,
            )
            assert bilan.digests.envoyes == 0  # an empty read model: nobody to write to
            limite = asyncio.get_running_loop().time() + 60
            while (mesure := await _tournees(adresse))[0] < 1:
                assert asyncio.get_running_loop().time() < limite, "aucune tournée mesurée"
                await asyncio.sleep(0.2)
    finally:
        await env.shutdown()
    nombre, total, seuils = mesure
    assert nombre == 1
    assert total >= PAUSE_S  # the run's whole length, its pause included, in seconds
    assert [float(s) for s in seuils[:-1]] == list(metriques.VIGIE_DUREE_SEUILS)  # minutes
