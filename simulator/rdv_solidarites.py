"""RDV-Solidarités as the simulator plays it, on the tool's own contract (see
``activities/rdv_solidarites.py`` and ``partenaires/rdv_solidarites.py`` for the sources):
the public API v1 under ``/rdv/api/v1/…`` with devise_token_auth's headers (users, invitation
tokens, organisations, a participation's status), and the webhooks the
tool sends, signed with ``X-Lapin-Signature``.

The invented CloudEvents ``fr.rdv.rdv.*`` the simulator could send stay for histories and the
generic partner API; this module is what a département's RDV-Solidarités actually speaks.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from core.partners import PartnerConfig
from simulator.contexte import Contexte, contexte

PARTENAIRE = "rdv"
router = APIRouter(prefix=f"/{PARTENAIRE}/api/v1", include_in_schema=True, tags=["RDV-Solidarités"])
ORGANISATIONS = [
    {
        "id": 352 + i,
        "name": f"Conseil départemental 74 - Pôle insertion {nom}",
        "email": None,
        "phone_number": None,
    }
    for i, nom in enumerate(["Annecy", "Chablais", "Genevois", "Mont-Blanc", "Arve-Faucigny"])
]
# devise_token_auth's answer when the headers are missing or stale (its French locale).
NON_CONNECTE = {"errors": ["Vous devez vous connecter ou vous inscrire pour continuer."]}


@dataclass
class EtatRdvSolidarites:
    usagers: dict[int, dict[str, Any]] = field(default_factory=dict)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(731_000))
    # A user's invitation token, made once and given again (the tool's
    # User#set_rdv_invitation_token!), and the rdvs booked with one.
    jetons: dict[int, str] = field(default_factory=dict)
    rdvs: itertools.count[int] = field(default_factory=lambda: itertools.count(88_000))
    # The rdvs sent to the platform, by participation id: what PATCH /participations changes.
    participations: dict[int, dict[str, Any]] = field(default_factory=dict)


def _etat(request: Request) -> EtatRdvSolidarites:
    etat = getattr(request.app.state, "rdv_solidarites", None)
    if etat is None:
        etat = request.app.state.rdv_solidarites = EtatRdvSolidarites()
    return etat


def _config(request: Request) -> PartnerConfig:
    contexte: Contexte = request.app.state.contexte
    return contexte.partners[PARTENAIRE]


def _authentifie(request: Request) -> bool:
    jeton = _config(request).jeton
    h = request.headers
    return bool(jeton and h.get("uid") and h.get("client")) and secrets.compare_digest(
        h.get("access-token", ""), jeton or ""
    )


def _non_connecte() -> JSONResponse:
    return JSONResponse(NON_CONNECTE, status_code=401)


def _invalide(erreurs: dict[str, list[dict[str, str]]]) -> JSONResponse:
    messages = [f"{champ} {e['error']}" for champ, liste in erreurs.items() for e in liste]
    return JSONResponse(
        {"success": False, "errors": erreurs, "error_messages": messages}, status_code=422
    )


@router.post("/users")
async def creer_usager(request: Request) -> Response:
    if not _authentifie(request):
        return _non_connecte()
    try:
        corps = await request.json()
    except ValueError:
        corps = None
    if not isinstance(corps, dict) or not corps.get("organisation_ids"):
        message = "param is missing or the value is empty: organisation_ids"
        return JSONResponse({"success": False, "errors": [message]}, status_code=422)
    manquants = {
        c: [{"error": "blank"}]
        for c in ("first_name", "last_name")
        if not str(corps.get(c) or "").strip()
    }
    if manquants:
        return _invalide(manquants)
    etat = _etat(request)
    usager = {
        "id": next(etat.ids),
        **{
            k: corps.get(k)
            for k in (
                "first_name",
                "last_name",
                "email",
                "phone_number",
                "birth_date",
                "affiliation_number",
            )
        },
        "birth_name": None,
        "address": None,
        "responsible_id": None,
        "caisse_affiliation": None,
        "family_situation": None,
        "number_of_children": None,
        "notify_by_sms": True,
        "notify_by_email": True,
        "invitation_created_at": None,
        "invitation_accepted_at": None,
        "created_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "organisation_ids": corps["organisation_ids"],
    }
    etat.usagers[usager["id"]] = usager
    return JSONResponse({"user": {k: v for k, v in usager.items() if k != "organisation_ids"}})


@router.post("/users/{user_id}/rdv_invitation_token")
async def jeton_invitation(user_id: int, request: Request) -> Response:
    if not _authentifie(request):
        return _non_connecte()
    etat = _etat(request)
    if user_id not in etat.usagers:
        return Response(status_code=404)  # the tool's « head :not_found »
    jeton = etat.jetons.setdefault(user_id, secrets.token_urlsafe(15))
    return JSONResponse({"invitation_token": jeton})


# The participation statuses the tool knows (its Participation enum, rdv-insertion's
# RdvParticipationStatus), written here and not imported: the simulator must not agree with the
# platform by construction.
STATUTS = ("unknown", "seen", "excused", "revoked", "noshow")


@router.patch("/participations/{participation_id}")
async def changer_statut(participation_id: int, request: Request) -> Response:
    """The tool's ParticipationsController#update: the status changed, the rdv answered."""
    if not _authentifie(request):
        return _non_connecte()
    rdv = _etat(request).participations.get(participation_id)
    if rdv is None:
        return Response(status_code=404)  # not in the agent's scope: RecordNotFound
    try:
        corps = await request.json()
    except ValueError:
        corps = None
    participation = corps.get("participation") if isinstance(corps, dict) else None
    if not isinstance(participation, dict):
        message = "param is missing or the value is empty: participation"
        return JSONResponse({"success": False, "errors": [message]}, status_code=422)
    statut = participation.get("status")
    if statut not in STATUTS:
        return _invalide({"status": [{"error": "inclusion", "value": str(statut)}]})
    for p in rdv["participations"]:
        if p["id"] == participation_id:
            p["status"] = statut
    return JSONResponse({"rdv": rdv})


@router.get("/organisations")
async def organisations(request: Request, page: int = 1, per: int = 100) -> Response:
    if not _authentifie(request):
        return _non_connecte()
    total, per = len(ORGANISATIONS), max(per, 1)
    pages = max((total + per - 1) // per, 1)
    items = ORGANISATIONS[(page - 1) * per : page * per]
    meta = {
        "current_page": page,
        "next_page": page + 1 if page < pages else None,
        "prev_page": page - 1 if page > 1 else None,
        "total_pages": pages,
        "total_count": total,
    }
    return JSONResponse({"organisations": items, "meta": meta})


def signature(secret: str, corps: bytes) -> str:
    """The tool's X-Lapin-Signature (computed here as the tool does, not with the platform's
    code: the simulator must not agree with the platform by construction)."""
    return hmac.new(secret.encode(), corps, hashlib.sha256).hexdigest()


def webhook(config: PartnerConfig, rdv: dict[str, Any], event: str) -> tuple[bytes, dict[str, str]]:
    """The body and headers RDV-Solidarités sends for a rdv (its WebhookJob): compact JSON, the
    hex HMAC-SHA256 of those bytes with the endpoint's secret."""
    charge = {
        "data": rdv,
        "meta": {
            "model": "Rdv",
            "event": event,
            "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds"),
        },
    }
    corps = json.dumps(charge, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Lapin-Signature": signature(config.secret or "", corps),
    }
    return corps, headers


# --- what an agent does in the tool, for `make run` and the tests: a rdv taken, then its outcome
controle = APIRouter(prefix="/_simulateur/rdv-solidarites", tags=["Contrôle du simulateur"])
CHEMIN_WEBHOOK = "/api/v1/partners/rdv/rdv-solidarites/webhooks"


class RdvSimule(BaseModel):
    usager_id: int = Field(ge=1, description="Identifiant de l'usager dans RDV-Solidarités")
    rdv_id: int = Field(ge=1)
    starts_at: datetime = Field(description="Début du rendez-vous, avec fuseau")
    statut: str = Field(default="unknown", pattern="^(unknown|seen|excused|noshow|revoked)$")
    event: str = Field(default="created", pattern="^(created|updated|destroyed)$")
    motif: str = "RSA - Orientation : rdv sur site"


def rdv_natif(r: RdvSimule) -> dict[str, Any]:
    """A rdv as the tool's webhook carries it (blueprint fields, one participation)."""
    return {
        "id": r.rdv_id,
        "uuid": str(secrets.token_hex(16)),
        "status": r.statut,
        "duration_in_min": 45,
        "starts_at": r.starts_at.isoformat(timespec="milliseconds"),
        "address": "12 rue de la République, 74000 Annecy",
        "context": None,
        "created_by": "agent",
        "cancelled_at": None,
        "organisation": ORGANISATIONS[0],
        "motif": {"id": 5321, "name": r.motif, "location_type": "public_office"},
        "users": [{"id": r.usager_id}],
        "participations": [
            {
                "id": r.rdv_id * 10,
                "status": r.statut,
                "created_by": "agent",
                "created_by_type": "Agent",
                "user": {"id": r.usager_id},
            }
        ],
        "agents": [{"id": 9041, "first_name": "Sophie", "last_name": "Martin", "email": None}],
        "lieu": {
            "id": 2207,
            "name": "Maison départementale des solidarités d'Annecy",
            "address": "12 rue de la République, 74000 Annecy",
        },
    }


@controle.post("/rdvs")
async def envoyer_rdv(
    r: RdvSimule, request: Request, ctx: Contexte = Depends(contexte)
) -> dict[str, Any]:
    """Send the platform the webhook RDV-Solidarités would send for this rdv."""
    return await _poster(ctx, _garder(_etat(request), rdv_natif(r)), r.event)


@controle.get("/participations/{participation_id}")
async def participation(participation_id: int, request: Request) -> dict[str, Any]:
    """A participation as the tool now holds it: the status an agent (or the platform) set."""
    rdv = _etat(request).participations.get(participation_id)
    if rdv is None:
        raise HTTPException(404, "Participation inconnue")
    return next(p for p in rdv["participations"] if p["id"] == participation_id)


def _garder(etat: EtatRdvSolidarites, rdv: dict[str, Any]) -> dict[str, Any]:
    """The rdv the tool holds (a later webhook for the same rdv replaces it)."""
    for p in rdv["participations"]:
        etat.participations[p["id"]] = rdv
    return rdv


async def _poster(ctx: Contexte, rdv: dict[str, Any], event: str) -> dict[str, Any]:
    corps, headers = webhook(ctx.partners[PARTENAIRE], rdv, event)
    url = ctx.plateforme().rstrip("/") + CHEMIN_WEBHOOK
    try:
        async with httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=3.0)) as client:
            response = await client.post(url, content=corps, headers=headers)
    except httpx.HTTPError as err:
        raise HTTPException(
            502, f"Plateforme injoignable à {ctx.plateforme()} ({type(err).__name__})."
        ) from None
    try:
        reponse: Any = response.json()
    except ValueError:
        reponse = response.text
    return {"statut_http": response.status_code, "reponse": reponse}


# --- rdv dans l'outil externe --- the booking page an invitation's link opens (the tool's
# /prendre_rdv, a web wizard, not an API: https://…/prendre_rdv?departement&invitation_token
# &organisation_ids[]&motif_category_short_name), and the booking a person makes there.
pages = APIRouter(prefix=f"/{PARTENAIRE}", tags=["RDV-Solidarités"])


def _usager_du_jeton(etat: EtatRdvSolidarites, jeton: str) -> int | None:
    return next(
        (u for u, j in etat.jetons.items() if secrets.compare_digest(j, jeton)),
        None,
    )


@pages.get("/prendre_rdv")
async def prendre_rdv(request: Request, invitation_token: str = "") -> Response:
    """The tool's booking page: a valid token signs the person in (TokenInvitable); an unknown
    one sends back to the home page with the tool's message."""
    if _usager_du_jeton(_etat(request), invitation_token) is None:
        return HTMLResponse("<p>Votre lien d'invitation n'est pas valide.</p>", status_code=200)
    return HTMLResponse("<h1>Prendre rendez-vous</h1><p>Choisissez votre créneau.</p>")


class ReservationSimulee(BaseModel):
    invitation_token: str = Field(min_length=1, max_length=100)
    starts_at: datetime = Field(description="Début du créneau choisi, avec fuseau")
    motif: str = "RSA - Orientation : rdv sur site"


@controle.post("/reservations")
async def reserver(
    r: ReservationSimulee, request: Request, ctx: Contexte = Depends(contexte)
) -> dict[str, Any]:
    """The person books a slot through their invitation's link: the tool makes the rdv
    (created by the user) and sends the platform its webhook, signed."""
    etat = _etat(request)
    usager = _usager_du_jeton(etat, r.invitation_token)
    if usager is None:
        raise HTTPException(404, "Jeton d'invitation inconnu")
    rdv = RdvSimule(usager_id=usager, rdv_id=next(etat.rdvs), starts_at=r.starts_at, motif=r.motif)
    natif = rdv_natif(rdv)
    natif["created_by"] = natif["participations"][0]["created_by"] = "user"
    natif["participations"][0]["created_by_type"] = "User"
    return {"rdv_id": rdv.rdv_id} | await _poster(ctx, _garder(etat, natif), "created")
