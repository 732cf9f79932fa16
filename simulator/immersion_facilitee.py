"""Immersion Facilitée's public API v2 as the simulator serves it, on the real contract (see
activities/immersion_facilitee.py for the sources, gip-inclusion/immersion-facile commit
cd676358befab6b481b326b25f0e649abc6e1423): the bare API key in ``authorization``, webhook
subscriptions, conventions read by id or by filters, and errors with the real bodies
``{message, status}``.

Controls under ``/_simulateur/immersion-facilitee``: put a convention (it is then POSTed to every
``convention.updated`` subscriber with its ``callbackHeaders``, once, as the real service does),
and choose a failure (401, 429 with or without Retry-After, 500, malformed body).
"""

from __future__ import annotations

import hmac
import threading
import uuid
from datetime import UTC, datetime
from typing import Any, Literal

import httpx
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from schemas.immersion_facilitee import (
    ENTETES_RAPPEL_AUTORISES,
    Convention,
    Souscription,
    StatutConvention,
)
from simulator.contexte import Contexte, contexte

PARTENAIRE = "immersion"
router = APIRouter(tags=["Immersion Facilitée simulée (API v2)"])
controle = APIRouter(prefix="/_simulateur/immersion-facilitee", tags=["Contrôle du simulateur"])

NomPanne = Literal["normal", "non_authentifie", "limite", "erreur", "malforme"]


class Panne(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: NomPanne = "normal"
    retry_after: int | None = Field(
        default=None, ge=1, le=3600, description="Secondes (429) ; le réel n'en envoie pas"
    )


class EtatImmersionFacilitee:
    """In memory: subscriptions, conventions, the failure chosen, the callbacks sent."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.souscriptions: dict[str, dict[str, Any]] = {}
        self.conventions: dict[str, dict[str, Any]] = {}
        self.panne = Panne()
        self.rappels: list[dict[str, Any]] = []


def etat(request: Request) -> EtatImmersionFacilitee:
    found: EtatImmersionFacilitee = request.app.state.immersion_facilitee
    return found


def _erreur(statut: int, message: str, **autres: Any) -> JSONResponse:
    return JSONResponse({"message": message, "status": statut}, status_code=statut, **autres)


def _garde(request: Request, ctx: Contexte, e: EtatImmersionFacilitee) -> Response | None:
    """authMiddleware.ts in that order: no header, wrong key; then the per-consumer limit."""
    presente = request.headers.get("authorization")
    if e.panne.mode == "non_authentifie" or not presente:
        return _erreur(401, "unauthenticated")
    jeton = ctx.partners[PARTENAIRE].jeton or ""
    if not hmac.compare_digest(presente.encode(), jeton.encode()):
        return _erreur(401, "incorrect Jwt")
    if e.panne.mode == "limite":
        entetes = {"Retry-After": str(e.panne.retry_after)} if e.panne.retry_after else None
        return _erreur(429, "Too many requests, please try again later.", headers=entetes)
    if e.panne.mode == "erreur":
        return _erreur(500, "Internal Server Error")
    if e.panne.mode == "malforme":
        return PlainTextResponse("<html>502 Bad Gateway</html>", status_code=200)
    return None


@router.get("/immersion/v2/webhooks")
async def lister(
    request: Request,
    ctx: Contexte = Depends(contexte),
    e: EtatImmersionFacilitee = Depends(etat),
) -> Any:
    if (refus := _garde(request, ctx, e)) is not None:
        return refus
    with e._lock:
        return list(e.souscriptions.values())


@router.post("/immersion/v2/webhooks", status_code=201)
async def souscrire(
    request: Request,
    ctx: Contexte = Depends(contexte),
    e: EtatImmersionFacilitee = Depends(etat),
) -> Any:
    if (refus := _garde(request, ctx, e)) is not None:
        return refus
    try:
        s = Souscription.model_validate(await request.json())
    except (ValidationError, ValueError) as err:
        return JSONResponse(
            {"status": 400, "message": "Schema validation failed", "issues": [str(err)[:300]]},
            status_code=400,
        )
    if not set(s.callback_headers) <= set(ENTETES_RAPPEL_AUTORISES):
        return JSONResponse(
            {
                "status": 400,
                "message": "Schema validation failed",
                "issues": ["callbackHeaders : clé non autorisée"],
            },
            status_code=400,
        )
    ident = str(uuid.uuid4())
    with e._lock:
        e.souscriptions[ident] = {
            **s.model_dump(by_alias=True),
            "id": ident,
            "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        }
    return Response(status_code=201)


@router.delete("/immersion/v2/webhooks/{souscription_id}")
async def desabonner(
    souscription_id: str,
    request: Request,
    ctx: Contexte = Depends(contexte),
    e: EtatImmersionFacilitee = Depends(etat),
) -> Any:
    if (refus := _garde(request, ctx, e)) is not None:
        return refus
    with e._lock:
        if e.souscriptions.pop(souscription_id, None) is None:
            return _erreur(404, f"Subscription {souscription_id} not found")
    return Response(status_code=204)


@router.get("/immersion/v2/conventions/{convention_id}")
async def lire(
    convention_id: str,
    request: Request,
    ctx: Contexte = Depends(contexte),
    e: EtatImmersionFacilitee = Depends(etat),
) -> Any:
    if (refus := _garde(request, ctx, e)) is not None:
        return refus
    with e._lock:
        found = e.conventions.get(convention_id)
    if found is None:
        return _erreur(
            404,
            f"Aucune convention trouvée avec l'identifiant '{convention_id}'. Êtes-vous sûr "
            "d'avoir bien tapé votre identifiant de convention ?",
        )
    return found


@router.get("/immersion/v2/conventions")
async def lister_conventions(
    request: Request,
    ctx: Contexte = Depends(contexte),
    e: EtatImmersionFacilitee = Depends(etat),
    startDateGreater: str | None = Query(default=None),
    startDateLessOrEqual: str | None = Query(default=None),
    withStatuses: list[StatutConvention] | None = Query(default=None),
) -> Any:
    if (refus := _garde(request, ctx, e)) is not None:
        return refus
    with e._lock:
        toutes = list(e.conventions.values())
    choisies = [
        c
        for c in toutes
        if (startDateGreater is None or c["dateStart"][:10] > startDateGreater[:10])
        and (startDateLessOrEqual is None or c["dateStart"][:10] <= startDateLessOrEqual[:10])
        and (not withStatuses or c["status"] in withStatuses)
    ]
    return sorted(choisies, key=lambda c: c["dateStart"], reverse=True)[:100]


# --- controls -------------------------------------------------------------------------------


@controle.put("/panne")
async def choisir_panne(panne: Panne, e: EtatImmersionFacilitee = Depends(etat)) -> Panne:
    e.panne = panne
    return panne


@controle.get("/souscriptions")
async def souscriptions(e: EtatImmersionFacilitee = Depends(etat)) -> list[dict[str, Any]]:
    """What was subscribed, header values masked (the simulator shows no secret)."""
    with e._lock:
        return [
            {**s, "callbackHeaders": {k: "***" for k in s["callbackHeaders"]}}
            for s in e.souscriptions.values()
        ]


@controle.put("/conventions")
async def mettre_convention(
    request: Request, e: EtatImmersionFacilitee = Depends(etat)
) -> dict[str, Any]:
    """Store this ConventionReadDto and notify the subscribers, once each, as the real does."""
    brut = await request.json()
    Convention.model_validate(brut)  # a 500 here is the tester's mistake, said plainly
    with e._lock:
        e.conventions[brut["id"]] = brut
        cibles = list(e.souscriptions.values())
    resultats = []
    async with httpx.AsyncClient(timeout=10) as client:
        for s in cibles:
            corps = {"payload": {"convention": brut}, "subscribedEvent": "convention.updated"}
            try:
                r = await client.post(s["callbackUrl"], json=corps, headers=s["callbackHeaders"])
                resultats.append({"callbackUrl": s["callbackUrl"], "status": r.status_code})
            except httpx.HTTPError as err:
                resultats.append({"callbackUrl": s["callbackUrl"], "erreur": type(err).__name__})
    with e._lock:
        e.rappels.extend(resultats)
    return {"convention": brut["id"], "rappels": resultats}
