"""The one way to reach Temporal: pydantic payloads, encrypted, failures encrypted too."""

from __future__ import annotations

import dataclasses

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes
from temporalio.runtime import Runtime
from temporalio.service import TLSConfig

from core import traces
from core.codec import EncryptionCodec
from core.settings import Settings

TASK_QUEUE = "parcours"


def data_converter(codec_keys: str, *, refuser_clair: bool = False) -> DataConverter:
    """``refuser_clair`` (production): a payload read from Temporal that is not encrypted — a
    signal sent from the Temporal UI or CLI, say — is an error, not data."""
    return dataclasses.replace(
        pydantic_data_converter,
        payload_codec=EncryptionCodec.from_spec(codec_keys, refuser_clair=refuser_clair),
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )


def tls(settings: Settings) -> bool | TLSConfig:
    """TLS towards the cluster: a client certificate (mTLS, e.g. Temporal Cloud), TLS alone
    (TEMPORAL_TLS=true, implied by an API key unless TEMPORAL_TLS=false), or plain TCP (the
    embedded dev server)."""
    s = settings
    if (s.temporal_tls_cert is None) != (s.temporal_tls_key is None):
        raise ValueError("TEMPORAL_TLS_CERT et TEMPORAL_TLS_KEY vont ensemble (mTLS)")
    if s.temporal_tls_cert is None and s.temporal_tls_ca is None and not s.temporal_tls_server_name:
        return bool(s.temporal_api_key) if s.temporal_tls is None else s.temporal_tls
    return TLSConfig(
        server_root_ca_cert=s.temporal_tls_ca.read_bytes() if s.temporal_tls_ca else None,
        domain=s.temporal_tls_server_name or None,
        client_cert=s.temporal_tls_cert.read_bytes() if s.temporal_tls_cert else None,
        client_private_key=s.temporal_tls_key.read_bytes() if s.temporal_tls_key else None,
    )


async def connect(settings: Settings, *, runtime: Runtime | None = None) -> Client:
    """``runtime``: the worker's, which serves the SDK's metrics (core/metriques.py)."""
    return await Client.connect(
        settings.effective_temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=data_converter(settings.codec_keys, refuser_clair=settings.production),
        api_key=settings.temporal_api_key or None,
        tls=tls(settings),
        runtime=runtime,
        interceptors=traces.intercepteurs(),  # none unless tracing is on
    )
