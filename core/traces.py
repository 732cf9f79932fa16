"""OpenTelemetry traces across web → Temporal client → workflow → activities, exported by
OTLP/HTTP when ``OTEL_EXPORTER_OTLP_ENDPOINT`` names a collector; nothing at all otherwise
(no provider, no interceptor, no instrumentation: the code paths are those of before).

One trace follows a request: the FastAPI instrumentation opens the server span, temporalio's
``TracingInterceptor`` carries its context in the headers of the workflow it starts or
updates, and the worker's spans (workflow, activities, the partner calls they make) join it.

Nothing personal goes into an attribute: span names are route templates and workflow or
activity types; ids are opaque (parcours, workflow, run). The server span's address is
masked like the access log's (carnet secret, query string: web/journaux.py) and the client's
IP address is dropped (the person's own, on their carnet page).

The provider is this module's, not the process-global one of ``opentelemetry.trace``: that
one can be set only once per process, and the tests install a fresh one per case.
"""

from __future__ import annotations

import re
from typing import Any

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter
from opentelemetry.trace import Span
from temporalio.contrib.opentelemetry import TracingInterceptor

MASQUE = "[masqué]"
# The same expression as the access log's (web/journaux.py) and the Caddyfile's.
_SECRETS = re.compile(r"(?i)(/carnet(?:/|%2f))[^/?#]+|([?]).*")
# Attributes of the HTTP server span that carry the requested address, old and new
# semantic conventions alike, and those that carry the client's address.
ADRESSES = ("http.target", "http.url", "url.full", "url.path", "url.query")
CLIENT = ("net.peer.ip", "net.sock.peer.addr", "client.address", "network.peer.address")

_fournisseur: TracerProvider | None = None


def actives() -> bool:
    return _fournisseur is not None


def installer(
    service: str, endpoint: str, *, exportateur: SpanExporter | None = None
) -> TracerProvider | None:
    """Traces of this process, sent to ``endpoint`` (OTLP/HTTP) or to ``exportateur`` (the
    tests' in-memory one, exported at once). Neither: None, and tracing stays off. Once
    installed, a second call keeps the first provider (create_app may run more than once)."""
    global _fournisseur
    if _fournisseur is not None:
        return _fournisseur
    if exportateur is None and not endpoint:
        return None
    fournisseur = TracerProvider(resource=Resource.create({"service.name": service}))
    if exportateur is not None:
        fournisseur.add_span_processor(SimpleSpanProcessor(exportateur))
    else:
        cible = endpoint.rstrip("/") + "/v1/traces"
        fournisseur.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=cible)))
    _fournisseur = fournisseur
    return fournisseur


def desinstaller() -> None:
    """Flush and forget the provider (end of the worker, of a test)."""
    global _fournisseur
    if _fournisseur is not None:
        _fournisseur.shutdown()
    _fournisseur = None


def intercepteurs() -> list[Any]:
    """For ``Client.connect``: the worker built on that client takes them too."""
    if _fournisseur is None:
        return []
    return [TracingInterceptor(tracer=_fournisseur.get_tracer("parcours.temporal"))]


def caviarder(adresse: str) -> str:
    return _SECRETS.sub(lambda m: (m.group(1) or "") + (m.group(2) or "") + MASQUE, adresse)


def _requete_sans_secret(span: Span, scope: dict[str, Any]) -> None:
    """Called once the server span has its attributes: rewrites those that hold the address
    or the client's IP."""
    attributs = getattr(span, "attributes", None) or {}
    for cle in ADRESSES:
        if isinstance(valeur := attributs.get(cle), str):
            span.set_attribute(cle, MASQUE if cle == "url.query" else caviarder(valeur))
    for cle in CLIENT:
        if cle in attributs:
            span.set_attribute(cle, MASQUE)


def instrumenter(app: Any) -> None:
    """The FastAPI instrumentation on this app, if tracing is on."""
    if _fournisseur is None:
        return
    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=_fournisseur,
        server_request_hook=_requete_sans_secret,
        exclude_spans=["receive", "send"],  # one span per request, not one per ASGI message
    )
