"""OpenTelemetry traces across web → Temporal client → workflow → activities, exported by
OTLP/HTTP when ``OTEL_EXPORTER_OTLP_ENDPOINT`` names a collector; nothing at all otherwise
(no provider, no interceptor, no instrumentation: the code paths are those of before).

One trace follows a request: the FastAPI instrumentation opens the server span, temporalio's
``TracingInterceptor`` carries its context in the headers of the workflow it starts or
updates, and the worker's spans (workflow, activities, the partner calls they make) join it.

Each call to a partner's API is a client span of its own (``appel_partenaire``), child of
the activity's: the partner's id, the operation (the activity type), the HTTP method and the
status code of the answer. Never the address called, which can hold a person's identifier
(``/v1/allocataires/<numéro>/droits-rsa``), nor the error's message, which quotes the
partner's answer.

Nothing personal goes into an attribute: span names are route templates and workflow or
activity types; ids are opaque (parcours, workflow, run). The server span's address is
masked like the access log's (carnet secret, query string: web/journaux.py) and the client's
IP address is dropped (the person's own, on their carnet page).

The provider is this module's, not the process-global one of ``opentelemetry.trace``: that
one can be set only once per process, and the tests install a fresh one per case.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from temporalio import activity
from temporalio.contrib.opentelemetry import TracingInterceptor
from temporalio.exceptions import ApplicationError

MASQUE = "[masqué]"
# The same expression as the access log's (web/journaux.py) and the Caddyfile's: the secret
# of a carnet, booking (ticket 18) or orientation (ticket 20) link, and the query string.
_SECRETS = re.compile(r"(?i)(/(?:carnet|rdv|orientation)(?:/|%2f))[^/?#]+|([?]).*")
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


class AppelPartenaire:
    """What the caller tells the span once the partner has answered."""

    def __init__(self, span: Span | None) -> None:
        self.span = span

    def reponse(self, statut: int) -> None:
        if self.span is None:
            return
        self.span.set_attribute("http.response.status_code", statut)
        if statut >= 400:  # a client span's error, as the HTTP conventions count them
            self.span.set_status(Status(StatusCode.ERROR))


def _operation() -> str:
    return activity.info().activity_type if activity.in_activity() else "hors activité"


@contextmanager
def appel_partenaire(partenaire: str, methode: str) -> Iterator[AppelPartenaire]:
    """Around one HTTP call to ``partenaire`` (its id in config/partners.toml). An exception
    that leaves it marks the span in error with its type (« PartenaireIndisponible »,
    « RefusPartenaire », « ConnectTimeout »), never its message."""
    if _fournisseur is None:
        yield AppelPartenaire(None)
        return
    operation = _operation()
    with _fournisseur.get_tracer("parcours.partenaires").start_as_current_span(
        f"Partenaire:{partenaire} {operation}",
        kind=SpanKind.CLIENT,
        attributes={
            "parcours.partenaire": partenaire,
            "parcours.operation": operation,
            "http.request.method": methode.upper(),
        },
        record_exception=False,  # its message quotes the partner's answer
        set_status_on_exception=False,
    ) as span:
        try:
            yield AppelPartenaire(span)
        except BaseException as err:
            genre = err.type if isinstance(err, ApplicationError) and err.type else None
            span.set_attribute("error.type", genre or type(err).__name__)
            span.set_status(Status(StatusCode.ERROR))
            raise
