"""Prometheus metrics of the web app (prometheus_client, scraped on ``/metrics``).

The worker's metrics are the Temporal SDK's own (activities by type, failures,
schedule-to-start latency, slots, sticky cache), exposed by the SDK on a port of its own
(``WORKER_METRICS_ADDRESS``, see ``runtime_du_worker``), with the one the workflows record
through the SDK's meter (the vigie's run duration).

No label ever holds a personal datum or an unbounded value: routes are the route's template
(``/api/v1/parcours/{parcours_id}``, never the URL with its ids or query string), commands
are names from the catalogue of transitions, partners come from config/partners.toml (an
unknown name in the URL counts as « inconnu »), outcomes are stable codes.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from prometheus_client import Counter, Gauge, Histogram, Info
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

PREFIXE = "parcours"
HORS_ROUTE = "[hors route]"  # 404s on addresses no route knows: one series, not one per URL

REQUETES = Counter(
    f"{PREFIXE}_http_requetes",
    "Requêtes HTTP reçues, par méthode, gabarit de route et statut",
    ["methode", "route", "statut"],
)
DUREE = Histogram(
    f"{PREFIXE}_http_duree_secondes",
    "Durée de traitement des requêtes HTTP, par méthode et gabarit de route",
    ["methode", "route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
COMMANDES = Counter(
    f"{PREFIXE}_commandes",
    "Commandes envoyées aux parcours, par nom et issue (ok ou code du refus)",
    ["commande", "issue"],
)
EVENEMENTS = Counter(
    f"{PREFIXE}_evenements_partenaires",
    "Événements reçus des partenaires, par partenaire et issue (accepted, duplicate, refused)",
    ["partenaire", "issue"],
)
# Read from the read model at each scrape (web.api.metriques): every web replica gives the
# same values, dashboards take max() over the replicas.
PARCOURS = Gauge(
    f"{PREFIXE}_parcours",
    "Parcours du modèle de lecture, par phase et statut",
    ["phase", "statut"],
)
INCIDENTS = Gauge(
    f"{PREFIXE}_incidents_ouverts",
    "Incidents ouverts (appel à un partenaire en échec), par partenaire",
    ["partenaire"],
)
ARRIERE = Gauge(
    f"{PREFIXE}_evenements_en_attente",
    "Événements de partenaires pas encore livrés à un parcours, par statut",
    ["statut"],
)
ARRIERE_AGE = Gauge(
    f"{PREFIXE}_evenements_en_attente_age_secondes",
    "Âge du plus ancien événement de partenaire pas encore livré (0 : aucun)",
)
BOITE_D_ENVOI = Gauge(
    f"{PREFIXE}_envois_en_attente",
    "Messages (liens du carnet) dont l'envoi a commencé sans être encore noté comme parti",
)
BOITE_D_ENVOI_AGE = Gauge(
    f"{PREFIXE}_envois_en_attente_age_secondes",
    "Âge du plus ancien message en attente d'envoi (0 : aucun)",
)
PLANIFICATIONS_BLOQUEES = Gauge(
    f"{PREFIXE}_planifications_bloquees",
    "Planifications Temporal dont l'exécution en cours est bloquée (leurs départs sont sautés), "
    "par planification",
    ["planification"],
)
SURVEILLANCE_AGE = Gauge(
    f"{PREFIXE}_surveillance_technique_age_secondes",
    "Âge du dernier tour de la surveillance technique (0 : jamais passée)",
)
# « parcours_build_info{version="…"} 1 »: which release each replica serves (core/version.py).
CONSTRUCTION = Info(f"{PREFIXE}_build", "Version du code servi par cette réplique")


def noter_version(version: str) -> None:
    CONSTRUCTION.info({"version": version})


def issue_de_commande(commande: str, issue: str) -> None:
    COMMANDES.labels(commande=commande, issue=issue).inc()


def evenement_partenaire(partenaire: str, connus: Iterable[str], issue: str) -> None:
    nom = partenaire if partenaire in set(connus) else "inconnu"
    EVENEMENTS.labels(partenaire=nom, issue=issue).inc()


def gabarit(scope: Scope) -> str:
    """The template of the route that serves this request (FastAPI sets ``scope["route"]``
    once routed; a request refused before routing is matched again here)."""
    route = scope.get("route")
    if route is not None and hasattr(route, "path"):
        return str(route.path)
    app = scope.get("app")
    for candidate in getattr(getattr(app, "router", None), "routes", ()):
        correspondance, _ = candidate.matches(scope)
        if correspondance == Match.FULL:
            return str(getattr(candidate, "path", HORS_ROUTE))
    return HORS_ROUTE


class MesureDesRequetes:
    """ASGI middleware: count and time every HTTP request by route template and status."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        debut = time.perf_counter()
        statut = 500  # an exception that escapes everything is a 500 for the client

        async def envoyer(message: Message) -> None:
            nonlocal statut
            if message["type"] == "http.response.start":
                statut = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, envoyer)
        finally:
            route = gabarit(scope)
            methode = scope.get("method", "GET")
            REQUETES.labels(methode=methode, route=route, statut=str(statut)).inc()
            DUREE.labels(methode=methode, route=route).observe(time.perf_counter() - debut)


# Recorded by the vigie's workflow (workflows/vigie.py) through the SDK's metric meter, so
# served by the worker with the SDK's own metrics. A run lasts minutes (its pause alone is
# two), not the milliseconds the SDK's default buckets are cut for.
VIGIE_DUREE = f"{PREFIXE}_vigie_tournee_duree_secondes"
VIGIE_DUREE_SEUILS = (30.0, 60.0, 120.0, 180.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0)


def runtime_du_worker(adresse: str) -> Runtime | None:
    """A Temporal runtime whose SDK metrics are served in the Prometheus format on ``adresse``
    (« 0.0.0.0:9464 »), or None (no metrics: the default runtime)."""
    if not adresse:
        return None
    # Prometheus' conventions (« _total » counters, seconds), like the web's metrics.
    exportateur = PrometheusConfig(
        bind_address=adresse,
        counters_total_suffix=True,
        durations_as_seconds=True,
        histogram_bucket_overrides={VIGIE_DUREE: VIGIE_DUREE_SEUILS},
    )
    return Runtime(telemetry=TelemetryConfig(metrics=exportateur))
