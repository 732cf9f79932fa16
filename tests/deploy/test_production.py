"""PARCOURS_ENV=production refuses the development settings: the web app and the worker stop
at start-up, with one French message naming every setting to fix; a complete production
configuration starts. The development secrets stay out of the image."""

from __future__ import annotations

import asyncio
import base64
import fnmatch
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
from google.protobuf.duration_pb2 import Duration
from temporalio.api.workflowservice.v1 import RegisterNamespaceRequest
from temporalio.testing import WorkflowEnvironment

from core.partners import env_name, load_partners
from core.production import EMPREINTES_DEV, empreinte, refus_production, verifier
from core.settings import DEV_AUDIT_KEY, DEV_CODEC_KEY, DEV_NIR_KEY, ROOT, Settings
from tests.deploy.configuration import (
    DEV,
    PARTENAIRES,
    configuration_complete,
    variables_partenaires,
)


def _settings(env: dict[str, str]) -> Settings:
    """The settings of this environment alone (model_validate reads no process variable)."""
    return Settings.model_validate(env)


def refusees(env: dict[str, str]) -> list[str]:
    return [r.variable for r in refus_production(_settings(env), env)]


# Every setting production refuses with the repository's defaults (README « Configuration »).
ATTENDUES = [
    "CODEC_KEYS",
    "AUDIT_KEY",
    "NIR_KEY",
    "PUBLIC_URL",
    "SECURE_COOKIES",
    "DEMO_DATA",
    *variables_partenaires(),
    "PARTNER_BASE_URL",
]


def _lancer(commande: list[str], env: dict[str, str], cwd: Path = ROOT) -> subprocess.Popen[str]:
    return subprocess.Popen(
        commande,
        cwd=cwd,
        env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


WEB = [sys.executable, "-m", "uvicorn", "web.app:create_app", "--factory"]  # as the image
WORKER = [sys.executable, "worker.py"]  # as docker-compose.yml


@pytest.mark.parametrize("commande", [WEB, WORKER], ids=["web", "worker"])
def test_avec_les_defauts_du_depot_la_production_refuse_de_demarrer(
    commande: list[str], tmp_path: Path
) -> None:
    processus = _lancer(commande, {"PARCOURS_ENV": "production", "DATA_DIR": str(tmp_path)})
    sortie, _ = processus.communicate(timeout=120)

    assert processus.returncode != 0, sortie
    assert f"Démarrage refusé (PARCOURS_ENV=production) : {len(ATTENDUES)} réglages" in sortie
    nommees = [
        ligne.split(" : ")[0].strip("- ")
        for ligne in sortie.splitlines()
        if ligne.startswith("  - ")
    ]
    assert nommees == ATTENDUES
    assert "la clé « dev-2026 » est la clé de développement du dépôt" in sortie
    assert "Traceback" not in sortie  # a message for an operator, not a crash


def test_en_developpement_rien_n_est_refuse() -> None:
    settings = Settings.model_validate({})
    assert settings.parcours_env == "dev"
    assert refus_production(settings, {}) != []  # the defaults are development values...
    verifier(settings, {})  # ...which `make run` and the tests accept


def test_une_configuration_de_production_complete_est_acceptee() -> None:
    assert refusees(configuration_complete()) == []


def _avec(**changements: str | None) -> dict[str, str]:
    env = configuration_complete()
    for nom, valeur in changements.items():
        if valeur is None:
            env.pop(nom)
        else:
            env[nom] = valeur
    return env


CLE_DEV_CAF = DEV["caf"]["secret"]


@pytest.mark.parametrize(
    ("changements", "refusee"),
    [
        ({"PARTNER_CAF_SECRET": CLE_DEV_CAF}, "PARTNER_CAF_SECRET"),
        ({"PARTNER_CAF_SECRET": None}, "PARTNER_CAF_SECRET"),
        ({"PARTNER_CAF_SECRET": "whsec_"}, "PARTNER_CAF_SECRET"),  # empty key: anyone signs
        (
            {"PARTNER_CAF_SECRET": "whsec_" + base64.b64encode(b"court").decode()},
            "PARTNER_CAF_SECRET",
        ),
        ({"PARTNER_CAF_SECRET": CLE_DEV_CAF.removeprefix("whsec_")}, "PARTNER_CAF_SECRET"),
        ({"PARTNER_SMS_TOKEN": DEV["sms"]["jeton"]}, "PARTNER_SMS_TOKEN"),
        ({"PARTNER_RDV_TOKEN": ""}, "PARTNER_RDV_TOKEN"),
        ({"CODEC_KEYS": DEV_CODEC_KEY}, "CODEC_KEYS"),
        (
            {"CODEC_KEYS": f"prod:{base64.b64encode(os.urandom(32)).decode()},{DEV_CODEC_KEY}"},
            "CODEC_KEYS",
        ),
        ({"CODEC_KEYS": "pas-une-cle"}, "CODEC_KEYS"),
        ({"AUDIT_KEY": DEV_AUDIT_KEY}, "AUDIT_KEY"),
        ({"AUDIT_KEY": f"{secrets.token_urlsafe(48)},{DEV_AUDIT_KEY}"}, "AUDIT_KEY"),
        ({"AUDIT_KEY": "courte"}, "AUDIT_KEY"),
        ({"NIR_KEY": DEV_NIR_KEY}, "NIR_KEY"),
        ({"NIR_KEY": "courte"}, "NIR_KEY"),
        ({"SECURE_COOKIES": "false"}, "SECURE_COOKIES"),
        ({"PUBLIC_URL": "http://parcours.spie74.fr"}, "PUBLIC_URL"),
        ({"PUBLIC_URL": "https://parcours.example.fr"}, "PUBLIC_URL"),
        ({"PUBLIC_URL": "https://localhost:8000"}, "PUBLIC_URL"),
        ({"PUBLIC_URL": None}, "PUBLIC_URL"),
        ({"DEMO_DATA": "true"}, "DEMO_DATA"),
        (
            {"OIDC_ISSUER": "https://proconnect.gouv.fr", "OIDC_CLIENT_ID": "parcours"},
            "OIDC_CLIENT_SECRET",
        ),
        ({"PARTNER_BASE_URL": None}, "PARTNER_BASE_URL"),
        ({"PARTNER_BASE_URL": "http://127.0.0.1:8100"}, "PARTNER_BASE_URL"),
    ],
)
def test_chaque_reglage_de_developpement_est_nomme(
    changements: dict[str, str | None], refusee: str
) -> None:
    assert refusees(_avec(**changements)) == [refusee]


def test_oidc_complet_est_accepte() -> None:
    env = _avec(
        OIDC_ISSUER="https://proconnect.gouv.fr",
        OIDC_CLIENT_ID="parcours",
        OIDC_CLIENT_SECRET="s3cr3t",
    )
    assert refusees(env) == []


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_avec_une_configuration_complete_l_application_web_demarre(tmp_path: Path) -> None:
    port = _port_libre()
    env = {
        **configuration_complete(),
        "DATA_DIR": str(tmp_path),
        "TEMPORAL_ADDRESS": "127.0.0.1:1",  # not needed to start: the web app connects lazily
    }
    processus = _lancer([*WEB, "--port", str(port)], env)
    try:
        limite = time.monotonic() + 120
        while True:
            assert processus.poll() is None, processus.communicate()[0]
            try:
                reponse = httpx.get(f"http://127.0.0.1:{port}/connexion", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < limite, "l'application web n'a jamais répondu"
                time.sleep(0.2)
        assert reponse.status_code == 200
        assert "; secure" in reponse.headers["set-cookie"].lower()  # SECURE_COOKIES=true
    finally:
        processus.terminate()
        processus.communicate(timeout=60)


def test_en_production_les_secrets_du_depot_ne_servent_plus(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """core/partners.py used to fall back to the committed whsec_ secret: not in production."""
    for partner_id in PARTENAIRES:
        monkeypatch.delenv(env_name(partner_id, "SECRET"), raising=False)
        monkeypatch.delenv(env_name(partner_id, "TOKEN"), raising=False)
    fichier = ROOT / "config/partners.toml"
    dev = load_partners(fichier, "http://simulateur", production=False)
    prod = load_partners(fichier, "http://simulateur", production=True)
    assert dev["caf"].secret == CLE_DEV_CAF
    assert (prod["caf"].secret, prod["caf"].jeton) == (None, None)
    assert set(prod) == set(dev) == set(PARTENAIRES)  # the list itself is still known


def test_un_secret_whsec_vide_n_est_pas_un_secret(tmp_path: Path) -> None:
    """An empty key would make HMAC accept anyone's signature: the partner gets no secret, so
    its events are refused (401), in development too."""
    for vide in ("whsec_", "", "whsec_!!!"):
        liste = tmp_path / f"partenaires-{len(vide)}.toml"
        liste.write_text(f'[caf]\nnom = "CAF"\nsource = "urn:caf"\nsecret = "{vide}"\n')
        assert load_partners(liste, "http://simulateur", production=False)["caf"].secret is None


def test_les_empreintes_couvrent_chaque_valeur_de_developpement() -> None:
    """Production refuses the committed values by their digest: the list must follow the file."""
    cles = [base64.b64decode(DEV_CODEC_KEY.split(":", 1)[1])]
    for valeurs in DEV.values():
        if "secret" in valeurs:
            cles.append(base64.b64decode(valeurs["secret"].removeprefix("whsec_")))
        cles.append(valeurs["jeton"].encode())
    assert {empreinte(c) for c in cles} == EMPREINTES_DEV
    assert not any("secret" in v or "jeton" in v for v in PARTENAIRES.values())


def _exclu(chemin: str, motifs: list[str]) -> bool:
    """Docker's .dockerignore: a pattern excludes a path or any directory above it."""
    parties = chemin.split("/")
    prefixes = ["/".join(parties[: i + 1]) for i in range(len(parties))]
    return any(fnmatch.fnmatchcase(p, m) for m in motifs for p in prefixes)


def test_les_secrets_de_developpement_n_entrent_pas_dans_l_image() -> None:
    motifs = [
        ligne.strip()
        for ligne in (ROOT / ".dockerignore").read_text().splitlines()
        if ligne.strip() and not ligne.startswith("#")
    ]
    assert not any(m.startswith("!") for m in motifs)  # our matcher knows no exceptions
    fichiers = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    valeurs = [v for p in DEV.values() for v in p.values()]
    dans_l_image = []
    for chemin in fichiers:
        if _exclu(chemin, motifs) or not (ROOT / chemin).is_file():
            continue
        texte = (ROOT / chemin).read_bytes().decode("utf-8", "replace")
        dans_l_image += [chemin for v in valeurs if v in texte]
    assert dans_l_image == []
    assert _exclu("config/partners.dev.toml", motifs)
    assert not _exclu("config/partners.toml", motifs)  # the partner list ships
    assert "PARCOURS_ENV=production" in (ROOT / "Dockerfile").read_text()


async def test_avec_une_configuration_complete_le_worker_demarre(
    temporal_local: WorkflowEnvironment, tmp_path: Path
) -> None:
    """`python worker.py` in production, on a real Temporal server (a namespace of its own:
    its schedules are sealed with the production key), then stopped as Docker stops it."""
    local = temporal_local.client
    ns = f"production-{uuid.uuid4().hex[:8]}"
    await local.workflow_service.register_namespace(
        RegisterNamespaceRequest(
            namespace=ns, workflow_execution_retention_period=Duration(seconds=86400)
        )
    )
    journal = tmp_path / "worker.log"
    env = {
        **configuration_complete(),
        "DATA_DIR": str(tmp_path),
        "TEMPORAL_ADDRESS": local.service_client.config.target_host,
        "TEMPORAL_NAMESPACE": ns,
    }
    with journal.open("w") as sortie:
        processus = await asyncio.create_subprocess_exec(
            *WORKER,
            cwd=ROOT,
            env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), **env},
            stdout=sortie,
            stderr=subprocess.STDOUT,
        )
    try:
        limite = time.monotonic() + 120  # the namespace reaches the frontend's cache, then start
        while "Worker prêt" not in journal.read_text():
            assert processus.returncode is None, journal.read_text()
            assert time.monotonic() < limite, journal.read_text()
            await asyncio.sleep(0.2)
    finally:
        processus.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(processus.wait(), 60)
    assert code == 0, journal.read_text()
    assert "Worker arrêté" in journal.read_text()
