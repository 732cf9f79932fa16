"""/healthz: is the platform able to work? Temporal and the database, each checked."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from temporalio.service import RPCError

from web.deps import ServicesDep
from web.services import TemporalIndisponible

router = APIRouter(tags=["Supervision"])


@router.get(
    "/healthz",
    summary="État de santé (Temporal et base de lecture)",
    responses={503: {"description": "Un composant est indisponible (raison donnée)"}},
)
async def healthz(services: ServicesDep) -> JSONResponse:
    checks: dict[str, str] = {}
    try:
        client = await asyncio.wait_for(services.client(), 5)
        await asyncio.wait_for(client.service_client.check_health(), 5)
        checks["temporal"] = "ok"
    except (TemporalIndisponible, TimeoutError, RPCError, RuntimeError) as err:
        checks["temporal"] = f"injoignable : {err or 'délai dépassé'}"
    try:
        async with services.engine.connect() as conn:
            await asyncio.wait_for(conn.execute(text("SELECT 1")), 5)
        checks["base"] = "ok"
    except (OSError, TimeoutError, SQLAlchemyError) as err:
        checks["base"] = f"injoignable : {err or 'délai dépassé'}"
    healthy = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"statut": "ok" if healthy else "degrade", **checks}, status_code=200 if healthy else 503
    )
