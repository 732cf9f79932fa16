"""Health, as an orchestrator asks it.

* ``/livez`` (liveness): the process answers. No dependency is checked, so a Temporal or
  database outage never gets the web replicas restarted or taken out of the proxy: they keep
  serving what they read from the read model (lists, pages) and refuse commands with a 503.
* ``/readyz`` (readiness): Temporal and the read model are each checked; 503 with a French
  body naming what is missing.
* ``/healthz``: the same answer as ``/readyz`` (kept for existing probes and scripts).

All three say the version of the running code (core/version.py), so that an operator sees
which release each replica serves during a rolling update.

Both also tell the backlog of partner events (stored, acknowledged, not yet delivered to
their parcours): its size and the age of the oldest. A backlog does not make the platform
« not ready »: taking the web out of the proxy would only refuse more events.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from temporalio.service import RPCError

from core.version import version
from partenaires.livraison import arriere
from web.deps import ServicesDep
from web.erreurs import reponse
from web.services import Services, TemporalIndisponible

router = APIRouter(tags=["Supervision"])

DELAI_S = 5
COMPOSANTS = {"temporal": "le moteur de parcours (Temporal)", "base": "la base de lecture"}


@router.get("/livez", summary="Vivacité : le processus répond (aucune dépendance vérifiée)")
async def livez(services: ServicesDep) -> dict[str, str]:
    return {"statut": "ok", "version": version(services.settings)}


async def _temporal(services: Services) -> str:
    try:
        client = await asyncio.wait_for(services.client(), DELAI_S)
        await asyncio.wait_for(client.service_client.check_health(), DELAI_S)
    except (TemporalIndisponible, TimeoutError, RPCError, RuntimeError) as err:
        return f"injoignable : {err or 'délai dépassé'}"
    return "ok"


async def _base(services: Services) -> str:
    try:
        async with services.engine.connect() as conn:
            await asyncio.wait_for(conn.execute(text("SELECT 1")), DELAI_S)
    except (OSError, TimeoutError, SQLAlchemyError) as err:
        return f"injoignable : {err or 'délai dépassé'}"
    return "ok"


async def _arriere(services: Services) -> dict[str, object] | None:
    try:
        async with services.sessions() as session:
            a = await asyncio.wait_for(arriere(session), DELAI_S)
    except (OSError, TimeoutError, SQLAlchemyError):
        return None  # the database check says why
    maintenant = datetime.now(UTC)
    return {
        "a_livrer": a.taille,
        "plus_ancien_s": round(a.age(maintenant).total_seconds(), 1),
        "etat": "en_retard" if a.en_retard(maintenant) else "ok",
    }


async def _preparation(request: Request, services: ServicesDep) -> JSONResponse:
    checks = {"temporal": await _temporal(services), "base": await _base(services)}
    evenements = {
        "evenements_partenaires": await _arriere(services),
        "version": version(services.settings),
    }
    manquants = [nom for nom, etat in checks.items() if etat != "ok"]
    if not manquants:
        return JSONResponse({"statut": "ok", **checks, **evenements})
    message = (
        "Indisponible : "
        + " et ".join(COMPOSANTS[nom] for nom in manquants)
        + (" ne répond pas." if len(manquants) == 1 else " ne répondent pas.")
    )
    if manquants == ["temporal"]:
        message += (
            " Les listes lues dans la base de lecture restent servies ;"
            " les commandes sont refusées (503) jusqu'à son retour."
        )
    # a problem detail like every 5xx, the probes' members beside its own
    return reponse(
        503,
        message,
        "indisponible",
        instance=request.url.path,
        extensions={"statut": "degrade", "manquants": manquants, **checks, **evenements},
    )


REPONSES: dict[int | str, dict[str, object]] = {
    503: {"description": "Un composant est indisponible (« manquants » et « detail »)"}
}


@router.get(
    "/readyz", summary="Préparation : Temporal et base de lecture vérifiés", responses=REPONSES
)
async def readyz(request: Request, services: ServicesDep) -> JSONResponse:
    return await _preparation(request, services)


@router.get(
    "/healthz",
    summary="État de santé (alias de /readyz)",
    responses=REPONSES,
)
async def healthz(request: Request, services: ServicesDep) -> JSONResponse:
    return await _preparation(request, services)
