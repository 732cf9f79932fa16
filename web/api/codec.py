"""The codec endpoint of the Temporal UI: an administrator reads the encrypted payloads of a
history in clear, after logging in here. Everyone else sees only ciphertext in Temporal.

Protocol of the Temporal UI (``--ui-codec-endpoint``): POST /codec/decode (and /encode) with
``{"payloads": [{"metadata": {key: base64}, "data": base64}]}``; the answer has the same shape.
The UI runs on another origin: CORS allows that origin only, with credentials.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from temporalio.api.common.v1 import Payload

from core.codec import CodecKeyError, EncryptionCodec
from core.formats import pluriel
from schemas.erreurs import CodeErreur
from services.audit import journaliser
from services.utilisateur import Utilisateur
from web.deps import SessionDep, adresse, utilisateur_optionnel
from web.erreurs import Erreur, Refus

router = APIRouter(prefix="/codec", tags=["Supervision"])
ERREURS: dict[int | str, dict[str, Any]] = {
    401: {"model": Erreur, "description": "Connexion requise (session du cockpit ou jeton)"},
    403: {"model": Erreur, "description": "Réservé à l'administration, ou origine refusée"},
    422: {"model": Erreur, "description": "Donnée mal formée ou illisible (champ nommé)"},
}


class PayloadJson(BaseModel):
    metadata: dict[str, str] = {}
    data: str = ""


class Payloads(BaseModel):
    payloads: list[PayloadJson]


def _origine(request: Request) -> str:
    settings = request.app.state.services.settings
    return str(settings.temporal_ui_origin or f"http://localhost:{settings.temporal_ui_port}")


def _cors(request: Request, response: Response) -> Response:
    if request.headers.get("origin") == _origine(request):
        response.headers["Access-Control-Allow-Origin"] = _origine(request)
        response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers["Access-Control-Allow-Headers"] = (
            "content-type, x-namespace, authorization"
        )
        response.headers["Access-Control-Allow-Methods"] = "POST, OPTIONS"
        response.headers["Vary"] = "Origin"
    return response


async def administrateur(
    request: Request, u: Annotated[Utilisateur | None, Depends(utilisateur_optionnel)]
) -> Utilisateur:
    """No CSRF token here (the Temporal UI cannot send one): the origin check and CORS stand in."""
    origin = request.headers.get("origin")
    if (
        origin is not None
        and origin != _origine(request)
        and origin != str(request.base_url).rstrip("/")
    ):
        raise Refus(403, "Origine non autorisée pour le décodage", "origine_refusee")
    if u is None:
        raise Refus(
            401,
            "Connectez-vous au cockpit en administrateur pour lire les données",
            CodeErreur.NON_AUTHENTIFIE,
        )
    if not u.est_admin:
        raise Refus(403, "Le décodage des données est réservé à l'administration", "interdit")
    return u


def _illisible(champ: str, message: str) -> Refus:
    return Refus(
        422,
        "Données invalides : corrigez les champs indiqués",
        CodeErreur.DONNEES_INVALIDES,
        [{"champ": champ, "message": message}],
    )


def _base64(valeur: str, champ: str) -> bytes:
    try:
        return base64.b64decode(valeur, validate=True)
    except (binascii.Error, ValueError):
        raise _illisible(champ, "Base64 attendu") from None


def _vers_protos(body: Payloads) -> list[Payload]:
    return [
        Payload(
            metadata={k: _base64(v, f"payloads.{i}.metadata.{k}") for k, v in p.metadata.items()},
            data=_base64(p.data, f"payloads.{i}.data"),
        )
        for i, p in enumerate(body.payloads)
    ]


def _vers_json(p: Payload) -> dict[str, Any]:
    return {
        "metadata": {k: base64.b64encode(v).decode() for k, v in p.metadata.items()},
        "data": base64.b64encode(p.data).decode(),
    }


@router.post(
    "/decode",
    summary="Déchiffrer des données de l'historique Temporal (administration)",
    responses=ERREURS,
)
async def decode(
    body: Payloads,
    request: Request,
    session: SessionDep,
    u: Annotated[Utilisateur, Depends(administrateur)],
) -> Response:
    codec = EncryptionCodec.from_spec(request.app.state.services.settings.codec_keys)
    decoded = []
    for i, payload in enumerate(_vers_protos(body)):
        try:
            decoded += await codec.decode([payload])
        except CodecKeyError as err:
            raise _illisible(f"payloads.{i}", str(err)) from None
    await journaliser(
        session,
        u,
        "decodage",
        "temporal",
        pluriel(len(decoded), "donnée déchiffrée", "données déchiffrées"),
        adresse(request),
    )
    return _cors(request, JSONResponse({"payloads": [_vers_json(p) for p in decoded]}))


@router.post(
    "/encode", summary="Chiffrer des données pour Temporal (administration)", responses=ERREURS
)
async def encode(
    body: Payloads, request: Request, _: Annotated[Utilisateur, Depends(administrateur)]
) -> Response:
    codec = EncryptionCodec.from_spec(request.app.state.services.settings.codec_keys)
    encoded = await codec.encode(_vers_protos(body))
    return _cors(request, JSONResponse({"payloads": [_vers_json(p) for p in encoded]}))


async def preflight(request: Request) -> Response:
    return _cors(request, Response(status_code=204))


# Declared after the POSTs: the first route of a path names the methods of a 405's « Allow »,
# and a client that GETs /codec/decode must be told POST, not OPTIONS.
for _operation in ("decode", "encode"):
    router.add_api_route(f"/{_operation}", preflight, methods=["OPTIONS"], include_in_schema=False)
