"""Every refusal is explicit: a status code, a French message for people, field names for machines."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Message, Scope, Send

from schemas.champ import champs
from schemas.erreurs import CodeErreur
from services.erreurs import Refus as Refus  # raised by the services too
from services.parcours_client import CommandeImpossible

TITRES = {
    400: "Requête illisible",
    401: "Authentification requise",
    403: "Action non autorisée",
    404: "Ressource introuvable",
    405: "Méthode non permise",
    409: "Conflit avec l'état actuel",
    413: "Requête trop volumineuse",
    415: "Type de contenu non pris en charge",
    422: "Données invalides",
    429: "Trop de demandes",
    500: "Erreur interne",
    503: "Service indisponible",
}
PROBLEME = "application/problem+json"
ERREUR_INTERNE = (
    "Erreur interne : rien n'indique que la demande a été enregistrée. "
    "Réessayez dans un instant ; si l'erreur persiste, signalez-la à l'administration"
)


class Erreur(BaseModel):
    """The body of every error answer: a problem detail (RFC 9457) whose extension members
    `code` (for machines), `erreurs` (the fields at fault) and `message` (same as `detail`,
    kept for the clients written before) say what to correct."""

    type: str = Field(description="URI du type de problème : `urn:parcours:erreur:<code>`")
    title: str = Field(description="Résumé du problème, le même pour un même code HTTP")
    status: int = Field(description="Code HTTP de la réponse")
    detail: str = Field(description="Explication en français, pour la personne")
    instance: str | None = Field(default=None, description="Chemin de la requête refusée")
    message: str = Field(description="Identique à `detail` (compatibilité)")
    code: str = Field(description="Code stable du refus, pour les programmes")
    erreurs: list[dict[str, str]] = Field(
        default=[], description="Les champs à corriger : `champ` et `message`"
    )


def reponse(
    status: int,
    message: str,
    code: str,
    erreurs: list[dict[str, str]] | None = None,
    instance: str | None = None,
    extensions: dict[str, Any] | None = None,
) -> JSONResponse:
    """A problem detail; ``extensions``: more members of the route's own (never the RFC's)."""
    corps = Erreur(
        type=f"urn:parcours:erreur:{code}",
        title=TITRES.get(status, "Requête refusée"),
        status=status,
        detail=message,
        instance=instance,
        message=message,
        code=code,
        erreurs=erreurs or [],
    )
    return JSONResponse(
        (extensions or {}) | corps.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEME,
    )


async def validation_requete(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return reponse(
        422,
        "Données invalides : corrigez les champs indiqués",
        CodeErreur.DONNEES_INVALIDES,
        champs(exc.errors()),
        request.url.path,
    )


async def validation_modele(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ValidationError)
    return reponse(
        422,
        "Données invalides : corrigez les champs indiqués",
        CodeErreur.DONNEES_INVALIDES,
        champs(exc.errors(), skip_body=False),
        request.url.path,
    )


async def commande_impossible(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CommandeImpossible)
    if _page(request):
        return _html(request, exc.status, exc.message)
    return reponse(exc.status, exc.message, exc.code, exc.erreurs, request.url.path)


async def refus(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refus)
    response: Response
    if _page(request):
        response = _html(request, exc.status, exc.message)
    else:
        response = reponse(exc.status, exc.message, exc.code, exc.erreurs, request.url.path)
    if exc.attente_s is not None:
        response.headers["Retry-After"] = str(exc.attente_s)
    return response


MESSAGES_HTTP = {
    400: "Requête illisible",
    404: "Adresse inconnue",
    405: "Méthode non permise à cette adresse",
    413: "Requête trop volumineuse",
    415: "Type de contenu non pris en charge",
}
CORPS_ILLISIBLE = "There was an error parsing the body"  # FastAPI's words, for any body


async def http(request: Request, exc: Exception) -> Response:
    """Starlette's and FastAPI's own refusals (unknown address, wrong method, unreadable
    body), in French like every other refusal."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and exc.detail == CORPS_ILLISIBLE and not _page(request):
        # a body that is not UTF-8 JSON: invalid data, like any malformed JSON (422)
        return reponse(
            422,
            "Données invalides : corrigez les champs indiqués",
            CodeErreur.DONNEES_INVALIDES,
            [{"champ": "corps", "message": "Corps illisible : JSON UTF-8 attendu"}],
            request.url.path,
        )
    message = MESSAGES_HTTP.get(exc.status_code, "Requête refusée")
    if _page(request):
        response = _html(request, exc.status_code, message)
    else:
        response = reponse(
            exc.status_code, message, f"http_{exc.status_code}", instance=request.url.path
        )
    response.headers.update(exc.headers or {})
    return response


async def interne(request: Request, exc: Exception) -> Response:
    """An unforeseen failure: logged with its trace by the server, answered in French without
    it (a trace tells an attacker about the code and may carry personal data)."""
    if _page(request):
        return _html(request, 500, ERREUR_INTERNE)
    return reponse(500, ERREUR_INTERNE, "erreur_interne", instance=request.url.path)


async def avant_la_route(
    scope: Scope,
    send: Send,
    status: int,
    message: str,
    code: str,
    erreurs: list[dict[str, str]] | None = None,
) -> None:
    """A refusal sent by a middleware, before any route: the same problem detail (API) or
    French page (cockpit) as a route's refusal."""
    request = Request(scope)
    response: Response
    if _page(request):
        detail = " ; ".join(f"« {e['champ']} » : {e['message']}" for e in erreurs or [])
        response = _html(request, status, f"{message}. {detail}" if detail else message)
    else:
        response = reponse(status, message, code, erreurs, request.url.path)
    await response(scope, sans_corps_recu, send)


async def sans_corps_recu() -> Message:
    """The ``receive`` of an answer sent without reading the request's body."""
    return {"type": "http.disconnect"}


def _page(request: Request) -> bool:
    """Cockpit pages and their htmx fragments get HTML; the API and machines get JSON."""
    path = request.url.path
    return not path.startswith(
        ("/api/", "/healthz", "/livez", "/readyz", "/codec")
    ) and "application/json" not in request.headers.get("accept", "")


def _html(request: Request, status: int, message: str) -> Response:
    from web.templating import templates  # templates need this module: import at use

    if request.headers.get("HX-Request"):
        return templates.TemplateResponse(
            request,
            "composants/_alerte.html",
            {"message": message, "genre": "error", "focus": True},
            status_code=status,
        )
    return templates.TemplateResponse(
        request,
        "composants/erreur.html",
        {"u": None, "titre": "Action impossible", "message": message, "status": status},
        status_code=status,
    )
