"""``/metrics``: the web app's Prometheus metrics (core/metriques.py), for Prometheus only.

A route of the app, protected by a bearer token (``METRICS_TOKEN``), rather than a port of
its own: the gauges are read from the read model through the app's own database engine, on
its event loop, at each scrape; a second server in each replica would need a second engine
and thread for that. Prometheus reaches each replica directly on the stack's internal
network (it resolves the DNS name « web », one address per replica); the proxy refuses
``/metrics`` from outside (deploy/Caddyfile), and without a token the route answers 404 as if
it did not exist: off by default. A session or an API token never opens it, whatever the role.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.exceptions import HTTPException

from core import metriques
from schemas.incident import StatutIncident
from store.evenements_partenaires import EvenementRecu, StatutReception
from store.notifications import LienEnAttente
from store.parcours import IncidentRow, ParcoursRow
from store.planifications import SantePlanification
from web.deps import ServicesDep
from web.erreurs import Refus

router = APIRouter(include_in_schema=False)

ACTIFS = (StatutIncident.OUVERT.value, StatutIncident.RELANCE.value)
EN_ATTENTE = (StatutReception.A_LIVRER.value, StatutReception.A_RAPPROCHER.value)


def _autorise(request: Request, jeton: str) -> None:
    if not jeton:  # off: the very answer of an address that no route serves
        raise HTTPException(404)
    envoye = request.headers.get("authorization", "")
    attendu = f"Bearer {jeton}"
    if not hmac.compare_digest(envoye.encode(), attendu.encode()):
        raise Refus(401, "Jeton de supervision requis (METRICS_TOKEN)", "authentification_requise")


def _age(depuis: datetime | None, maintenant: datetime) -> float:
    if depuis is None:
        return 0.0
    if depuis.tzinfo is None:  # SQLite gives naive UTC datetimes back
        depuis = depuis.replace(tzinfo=UTC)
    return max((maintenant - depuis).total_seconds(), 0.0)


async def _lire_le_modele(session: AsyncSession) -> None:
    """Sets the gauges from the read model: a few grouped counts on indexed columns."""
    maintenant = datetime.now(UTC)
    parcours = await session.exec(
        select(ParcoursRow.phase, ParcoursRow.statut, func.count()).group_by(
            col(ParcoursRow.phase), col(ParcoursRow.statut)
        )
    )
    metriques.PARCOURS.clear()
    for phase, statut, nombre in parcours.all():
        metriques.PARCOURS.labels(phase=phase, statut=statut).set(nombre)
    incidents = await session.exec(
        select(IncidentRow.partenaire, func.count())
        .where(col(IncidentRow.statut).in_(ACTIFS))
        .group_by(col(IncidentRow.partenaire))
    )
    metriques.INCIDENTS.clear()
    for partenaire, nombre in incidents.all():
        metriques.INCIDENTS.labels(partenaire=partenaire).set(nombre)
    attente = await session.exec(
        select(EvenementRecu.statut, func.count(), func.min(EvenementRecu.recu_le))
        .where(col(EvenementRecu.statut).in_(EN_ATTENTE))
        .group_by(col(EvenementRecu.statut))
    )
    plus_ancien: datetime | None = None
    for statut in EN_ATTENTE:
        metriques.ARRIERE.labels(statut=statut).set(0)
    for statut, nombre, premier in attente.all():
        metriques.ARRIERE.labels(statut=statut).set(nombre)
        if statut == StatutReception.A_LIVRER.value:
            plus_ancien = premier
    metriques.ARRIERE_AGE.set(_age(plus_ancien, maintenant))
    envois = (await session.exec(select(func.count(), func.min(LienEnAttente.cree_le)))).one()
    metriques.BOITE_D_ENVOI.set(envois[0])
    metriques.BOITE_D_ENVOI_AGE.set(_age(envois[1], maintenant))
    planifications = (await session.exec(select(SantePlanification))).all()
    metriques.PLANIFICATIONS_BLOQUEES.clear()
    for p in planifications:
        metriques.PLANIFICATIONS_BLOQUEES.labels(planification=p.id).set(int(p.bloquee))
    derniere = max((p.verifiee_le for p in planifications), default=None)
    metriques.SURVEILLANCE_AGE.set(_age(derniere, maintenant))


@router.get("/metrics")
async def metrics(request: Request, services: ServicesDep) -> Response:
    _autorise(request, services.settings.metrics_token)
    async with services.sessions() as session:
        await _lire_le_modele(session)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
