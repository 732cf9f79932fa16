"""docker-compose.yml is a valid Compose file (checked by the real `docker compose config`),
describes the stack of the issue — health checks, volumes, replicas behind the proxy — and
its helpers work: the proxy's Caddyfile, the image's locked dependencies
(Temporal's own part: test_temporal_de_production.py)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from core.settings import ROOT, Settings
from tests.deploy.compose import REQUIS, SECRETS, config, pile
from tests.deploy.configuration import (
    variables_documentees,
)

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
