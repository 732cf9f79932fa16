"""Temporal in the production stack: the server's own image after its schema job (Temporal's
SQL tool, database by database), the visibility database, the temporal-setup job that
prepares the namespace, and the worker's health check."""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from google.protobuf.duration_pb2 import Duration
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest, RegisterNamespaceRequest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from core import search_attributes as sa
from core.settings import ROOT, Settings
from deploy.preparer_temporal import preparer
from deploy.sante_worker import pollers_recents
from tests.deploy.compose import pile
from worker import running_worker


def test_temporal_tourne_sur_son_image_de_production_apres_son_schema() -> None:
    """temporalio/server, not the auto-setup convenience image: its schema is a job of its own
    (Temporal's tool, same version), and the namespace comes from temporal-setup."""
    services = pile()["services"]
    temporal, schema = services["temporal"], services["temporal-schema"]

    assert temporal["image"].startswith("temporalio/server:")
    version = temporal["image"].split(":", 1)[1]
    assert schema["image"] == f"temporalio/admin-tools:{version}"
    assert services["temporal-admin-tools"]["image"] == f"temporalio/admin-tools:{version}"
    assert temporal["depends_on"]["temporal-schema"]["condition"] == (
        "service_completed_successfully"
    )
    assert schema["depends_on"]["temporal-postgresql"]["condition"] == "service_healthy"
    assert schema["environment"]["SQL_PASSWORD"] == temporal["environment"]["POSTGRES_PWD"]
    assert schema["entrypoint"] == ["sh", "/etc/temporal/parcours/schema.sh"]
    assert not any("auto-setup" in str(s.get("image", "")) for s in services.values())
    setup = services["temporal-setup"]["depends_on"]
    assert setup["temporal"]["condition"] == "service_healthy"


def _outil_enregistreur(dossier: Path, code: int = 0) -> Path:
    """A temporal-sql-tool that writes down how it was called (arguments, password seen)."""
    outil = dossier / "temporal-sql-tool"
    outil.write_text(
        "#!/bin/sh\n"
        f'echo "$* | mot de passe : ${{SQL_PASSWORD:+oui}} | $SQL_PLUGIN" >> {dossier}/appels\n'
        f"exit {code}\n"
    )
    outil.chmod(0o755)
    return dossier / "appels"


def _schema(dossier: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(ROOT / "deploy" / "temporal" / "schema.sh")],
        env={"PATH": f"{dossier}:{os.environ['PATH']}", **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


CONNEXION = {"SQL_HOST": "temporal-postgresql", "SQL_USER": "temporal", "SQL_PASSWORD": "s3cret"}


def test_le_schema_de_temporal_est_pose_puis_mis_a_jour_base_par_base(tmp_path: Path) -> None:
    appels = _outil_enregistreur(tmp_path)

    fait = _schema(tmp_path, **CONNEXION)

    assert fait.returncode == 0, fait.stderr
    v12 = "/etc/temporal/schema/postgresql/v12"
    assert appels.read_text().splitlines() == [
        "--db temporal setup-schema -v 0.0 | mot de passe : oui | postgres12",
        f"--db temporal update-schema -d {v12}/temporal/versioned | mot de passe : oui | postgres12",
        "--db temporal_visibility setup-schema -v 0.0 | mot de passe : oui | postgres12",
        f"--db temporal_visibility update-schema -d {v12}/visibility/versioned"
        " | mot de passe : oui | postgres12",
    ]
    assert "s3cret" not in appels.read_text()  # never on a command line (`ps` shows those)
    assert "Schéma de la base « temporal_visibility » à jour." in fait.stdout


def test_un_schema_qui_echoue_arrete_la_pile(tmp_path: Path) -> None:
    appels = _outil_enregistreur(tmp_path, code=1)

    fait = _schema(tmp_path, **CONNEXION)

    assert fait.returncode != 0  # the server (service_completed_successfully) does not start
    assert len(appels.read_text().splitlines()) == 1


def test_sans_mot_de_passe_le_schema_le_dit(tmp_path: Path) -> None:
    appels = _outil_enregistreur(tmp_path)

    fait = _schema(tmp_path, SQL_HOST="temporal-postgresql", SQL_USER="temporal")

    assert fait.returncode != 0
    assert "SQL_PASSWORD manquant" in fait.stderr
    assert not appels.exists()


def test_la_base_de_visibilite_est_creee_avec_le_volume() -> None:
    services = pile()["services"]
    init = {
        v["target"]: v["source"]
        for v in services["temporal-postgresql"]["volumes"]
        if v["target"].startswith("/docker-entrypoint-initdb.d/")
    }
    assert len(init) == 1
    sql = Path(next(iter(init.values()))).read_text()
    assert "CREATE DATABASE temporal_visibility OWNER temporal;" in sql


async def test_la_preparation_de_temporal_ajoute_les_attributs_et_la_retention(
    temporal_local: WorkflowEnvironment,
) -> None:
    """The temporal-setup job on a namespace that has nothing yet, then once more."""
    local = temporal_local.client
    ns = f"preparation-{uuid.uuid4().hex[:8]}"
    await local.workflow_service.register_namespace(
        RegisterNamespaceRequest(
            namespace=ns, workflow_execution_retention_period=Duration(seconds=86400)
        )
    )
    await _preparer_puis_verifier(local, ns)


async def test_la_preparation_de_temporal_cree_le_namespace_qui_manque(
    temporal_local: WorkflowEnvironment,
) -> None:
    """The production server image (temporalio/server) creates no namespace: the job does."""
    local = temporal_local.client
    ns = f"nouveau-{uuid.uuid4().hex[:8]}"
    with pytest.raises(RPCError) as inconnu:
        await local.workflow_service.describe_namespace(DescribeNamespaceRequest(namespace=ns))
    assert inconnu.value.status == RPCStatusCode.NOT_FOUND

    await _preparer_puis_verifier(local, ns)


async def _preparer_puis_verifier(local: Client, ns: str) -> None:
    client = await Client.connect(local.service_client.config.target_host, namespace=ns)
    for _ in range(100):  # the new namespace reaches the frontend's cache
        try:
            ajoutes = await preparer(client, retention_jours=3650)
            break
        except Exception:
            await asyncio.sleep(0.2)
    else:
        pytest.fail(f"namespace {ns} jamais disponible")

    assert ajoutes == sorted(k.name for k in sa.ALL)
    attributs = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=ns)
    )
    assert {k.name for k in sa.ALL} <= set(attributs.custom_attributes)
    decrit = await client.workflow_service.describe_namespace(
        DescribeNamespaceRequest(namespace=ns)
    )
    assert decrit.config.workflow_execution_retention_ttl.ToTimedelta().days == 3650

    assert await preparer(client, retention_jours=3650) == []  # again: nothing to do


async def test_la_sante_d_un_worker_est_qu_il_interroge_sa_file(
    temporal_local: WorkflowEnvironment, settings: Settings
) -> None:
    client, file = temporal_local.client, f"sante-{uuid.uuid4()}"
    hote = client.service_client.config.identity.split("@", 1)[1]
    assert await pollers_recents(client, file, hote) == []  # no worker: unhealthy

    async with running_worker(client, settings, task_queue=file):
        for _ in range(100):
            if trouves := await pollers_recents(client, file, hote):
                break
            await asyncio.sleep(0.1)
    assert trouves == [client.service_client.config.identity]
    assert await pollers_recents(client, file, "un-autre-hote") == []
