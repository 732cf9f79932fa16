"""The partners' APIs as the platform calls them (see activities/): bearer token, idempotency
key, validated bodies, failure modes. A key seen before gets its first answer again."""

from __future__ import annotations

import asyncio
import hmac
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from schemas.appels import DemandeSiae, NotificationOrientation, Sms, SoumissionPmsmp
from schemas.incident import TypeOperation
from simulator.contexte import Contexte, contexte, erreur
from simulator.store import DroitsRsa

router = APIRouter(tags=["Partenaires simulés"])

DEPUIS_PAR_DEFAUT = date(2025, 1, 1)  # fixed, so that tests and demos read the same rights

_LIBELLES = {
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "champ inconnu",
    "json_invalid": "JSON invalide",
    "string_too_long": "texte trop long",
    "date_from_datetime_parsing": "date attendue (AAAA-MM-JJ)",
    "date_parsing": "date attendue (AAAA-MM-JJ)",
    "string_type": "texte attendu",
    "int_parsing": "nombre entier attendu",
    "float_parsing": "nombre attendu",
    "model_type": "objet JSON attendu",
    "timezone_aware": "date et heure avec fuseau attendues (RFC 3339)",
    "datetime_parsing": "date et heure attendues (RFC 3339)",
    "datetime_from_date_parsing": "date et heure attendues (RFC 3339)",
    "dict_type": "objet JSON attendu",
    "greater_than_equal": "valeur trop petite",
    "less_than_equal": "valeur trop grande",
}


@dataclass(frozen=True)
class Operation:
    partenaire: str
    nom: TypeOperation
    modele: type[BaseModel]
    statut: int
    reponse: Callable[[], dict[str, Any]]


def _accuse(prefixe: str, statut: str) -> Callable[[], dict[str, Any]]:
    return lambda: {"id": f"{prefixe}-{uuid.uuid4().hex[:10]}", "statut": statut}


ORIENTATION = Operation(
    "france-travail",
    TypeOperation.NOTIFIER_ORIENTATION,
    NotificationOrientation,
    201,
    _accuse("FT-ORI", "enregistree"),
)
CONVENTION = Operation(
    "immersion",
    TypeOperation.SOUMETTRE_PMSMP,
    SoumissionPmsmp,
    201,
    _accuse("IMM-CONV", "en_attente_signature"),
)
DEMANDE_SIAE = Operation(
    "siae", TypeOperation.DEMANDE_SIAE, DemandeSiae, 201, _accuse("SIAE-DEM", "transmise")
)
SMS = Operation("sms", TypeOperation.ENVOYER_SMS, Sms, 202, _accuse("SMS", "en_file"))


def message_validation(erreurs: Sequence[Mapping[str, Any]]) -> str:
    """French summary of pydantic's errors, naming each field."""
    parties = []
    for e in erreurs:
        loc = [str(p) for p in e["loc"]]
        champ = ".".join(loc[1:] if loc[:1] == ["body"] else loc) or "corps"
        libelle = _LIBELLES.get(e["type"], "valeur invalide")
        if e["type"] == "literal_error":
            libelle = f"valeur non autorisée (attendu : {e.get('ctx', {}).get('expected')})"
        parties.append(f"« {champ} » : {libelle}")
    return "Demande invalide — " + " ; ".join(parties)


def authentifier(request: Request, ctx: Contexte, partenaire: str) -> JSONResponse | None:
    jeton = ctx.partners[partenaire].jeton
    if jeton is None:
        return None
    presente = request.headers.get("Authorization", "")
    if hmac.compare_digest(presente.encode(), f"Bearer {jeton}".encode()):
        return None
    return erreur(
        401,
        f"Authentification refusée : jeton d'accès absent ou invalide pour {ctx.nom(partenaire)}.",
    )


async def appliquer_mode(ctx: Contexte, partenaire: str) -> JSONResponse | None:
    """The simulated failure for this call, or None to answer normally (after a delay if slow)."""
    issue, nom = ctx.store.issue(partenaire), ctx.nom(partenaire)
    if issue.mode == "lent":
        await asyncio.sleep(issue.delai_s)
    if issue.mode == "panne":
        return erreur(503, f"{nom} est momentanément indisponible (panne simulée).")
    if issue.mode == "erreur":
        return erreur(500, f"Erreur interne chez {nom} (erreur simulée).")
    if issue.mode == "refus":
        return erreur(422, f"{nom} refuse la demande : dossier non conforme (refus simulé).")
    return None


async def traiter(request: Request, ctx: Contexte, op: Operation) -> JSONResponse:
    if (refus := authentifier(request, ctx, op.partenaire)) is not None:
        return refus
    cle = request.headers.get("Idempotency-Key", "").strip()
    if not cle:
        return erreur(
            400,
            "En-tête Idempotency-Key obligatoire : il garantit qu'une demande répétée "
            "n'est appliquée qu'une fois.",
        )
    contenu = await request.body()  # read before a slow answer: the client may hang up
    if (echec := await appliquer_mode(ctx, op.partenaire)) is not None:
        return echec
    if (deja := ctx.store.rejouer(op.partenaire, cle)) is not None:
        return JSONResponse(deja.reponse, status_code=deja.statut_http)
    try:
        donnees = op.modele.model_validate_json(contenu)
    except ValidationError as err:
        return erreur(
            422, message_validation(err.errors()), erreurs=json.loads(err.json(include_url=False))
        )
    recu = ctx.store.enregistrer(
        op.partenaire,
        op.nom.value,
        cle,
        donnees.model_dump(mode="json"),
        op.statut,
        op.reponse(),
    )
    return JSONResponse(recu.reponse, status_code=recu.statut_http)


@router.post("/france-travail/v1/orientations", status_code=201)
async def notifier_orientation(request: Request, ctx: Contexte = Depends(contexte)) -> Response:
    return await traiter(request, ctx, ORIENTATION)


@router.post("/immersion/v1/conventions", status_code=201)
async def soumettre_convention(request: Request, ctx: Contexte = Depends(contexte)) -> Response:
    return await traiter(request, ctx, CONVENTION)


@router.post("/siae/v1/demandes-orientation", status_code=201)
async def demande_orientation(request: Request, ctx: Contexte = Depends(contexte)) -> Response:
    return await traiter(request, ctx, DEMANDE_SIAE)


@router.post("/sms/v1/messages", status_code=202)
async def envoyer_sms(request: Request, ctx: Contexte = Depends(contexte)) -> Response:
    return await traiter(request, ctx, SMS)


@router.get("/caf/v1/allocataires/{numero}/droits-rsa")
async def lire_droits_rsa(
    numero: str, request: Request, ctx: Contexte = Depends(contexte)
) -> Response:
    """A read: always answered afresh, but recorded too (per idempotency key when given) so
    that tests can count the platform's reads."""
    if (refus := authentifier(request, ctx, "caf")) is not None:
        return refus
    if (echec := await appliquer_mode(ctx, "caf")) is not None:
        return echec
    if numero.startswith("9"):
        statut, corps = 404, {"message": "Allocataire inconnu de la CAF"}
    else:
        droits = ctx.store.droits(numero) or DroitsRsa(
            droits_rsa="ouverts", depuis=DEPUIS_PAR_DEFAUT
        )
        statut, corps = 200, {"numero_allocataire": numero, **droits.model_dump(mode="json")}
    cle = request.headers.get("Idempotency-Key", "").strip() or f"lecture-{uuid.uuid4()}"
    ctx.store.enregistrer(
        "caf",
        TypeOperation.LIRE_DROITS_RSA.value,
        cle,
        {"numero_allocataire": numero},
        statut,
        corps,
    )
    return JSONResponse(corps, status_code=statut)
