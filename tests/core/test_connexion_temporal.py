"""How the platform reaches a Temporal cluster: plain TCP for the embedded server, TLS with an
API key or a client certificate (mTLS) for Temporal Cloud or a cluster behind TLS."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.service import TLSConfig
from temporalio.testing import WorkflowEnvironment

from core.settings import Settings
from core.temporal import connect, tls


def test_serveur_embarque_sans_tls() -> None:
    assert tls(Settings()) is False


def test_cle_d_api_implique_tls_sauf_refus_explicite() -> None:
    assert tls(Settings(TEMPORAL_API_KEY="cle")) is True
    assert tls(Settings(TEMPORAL_API_KEY="cle", TEMPORAL_TLS=False)) is False
    assert tls(Settings(TEMPORAL_TLS=True)) is True


def test_mtls_lit_certificat_cle_et_autorite(tmp_path: Path) -> None:
    for nom in ("client.pem", "client.key", "ca.pem"):
        (tmp_path / nom).write_bytes(f"--- {nom} ---".encode())
    config = tls(
        Settings(
            TEMPORAL_TLS_CERT=tmp_path / "client.pem",
            TEMPORAL_TLS_KEY=tmp_path / "client.key",
            TEMPORAL_TLS_CA=tmp_path / "ca.pem",
            TEMPORAL_TLS_SERVER_NAME="parcours.a1b2c.tmprl.cloud",
        )
    )
    assert isinstance(config, TLSConfig)
    assert config.client_cert == b"--- client.pem ---"
    assert config.client_private_key == b"--- client.key ---"
    assert config.server_root_ca_cert == b"--- ca.pem ---"
    assert config.domain == "parcours.a1b2c.tmprl.cloud"


def test_certificat_sans_cle_refuse(tmp_path: Path) -> None:
    (tmp_path / "client.pem").write_bytes(b"x")
    with pytest.raises(ValueError, match="vont ensemble"):
        tls(Settings(TEMPORAL_TLS_CERT=tmp_path / "client.pem"))


async def test_cle_d_api_envoyee_au_serveur(temporal_local: WorkflowEnvironment) -> None:
    """The dev server accepts any key over plain TCP: the connection and a call succeed."""
    adresse = temporal_local.client.service_client.config.target_host
    client = await connect(
        Settings(TEMPORAL_ADDRESS=adresse, TEMPORAL_API_KEY="cle-de-test", TEMPORAL_TLS=False)
    )
    assert client.api_key == "cle-de-test"
    info = await client.workflow_service.get_system_info(GetSystemInfoRequest())
    assert info.server_version
