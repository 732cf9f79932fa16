"""Every refusal is explicit: a status code, a French message for people, field names for machines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Message, Scope, Send

from schemas.champ import champ_en_cause
from services.parcours_client import CommandeImpossible

MESSAGES = {
    "missing": "Champ obligatoire",
    "extra_forbidden": "Champ inconnu",
    "string_too_short": "Texte trop court",
    "string_too_long": "Texte trop long",
    "string_pattern_mismatch": "Format invalide",
    "string_type": "Texte attendu",
    "int_parsing": "Nombre entier attendu",
    "int_type": "Nombre entier attendu",
    "float_parsing": "Nombre attendu",
    "bool_parsing": "Oui ou non attendu",
    "bool_type": "Oui ou non attendu",
    "date_parsing": "Date attendue au format AAAA-MM-JJ",
    "date_from_datetime_parsing": "Date attendue au format AAAA-MM-JJ",
    "date_type": "Date attendue au format AAAA-MM-JJ",
    "datetime_parsing": "Date et heure attendues (AAAA-MM-JJTHH:MM avec fuseau)",
    "datetime_from_date_parsing": "Date et heure attendues (AAAA-MM-JJTHH:MM avec fuseau)",
    "enum": "Valeur non prévue",
    "literal_error": "Valeur non prévue",
    "too_short": "Pas assez d'éléments",
    "too_long": "Trop d'éléments",
    "greater_than": "Valeur trop petite",
    "greater_than_equal": "Valeur trop petite",
    "less_than": "Valeur trop grande",
    "less_than_equal": "Valeur trop grande",
    "model_attributes_type": "Objet attendu",
    "dict_type": "Objet attendu",
    "list_type": "Liste attendue",
    "json_invalid": "JSON invalide",
    # what else pydantic can say, so that no refusal ever reaches people in English
    "json_type": "JSON attendu",
    "float_type": "Nombre attendu",
    "int_from_float": "Nombre entier attendu (sans décimales)",
    "int_parsing_size": "Nombre trop grand",
    "finite_number": "Nombre fini attendu",
    "multiple_of": "Valeur hors du pas attendu",
    "decimal_type": "Nombre attendu",
    "decimal_parsing": "Nombre attendu",
    "datetime_type": "Date et heure attendues (AAAA-MM-JJTHH:MM avec fuseau)",
    "datetime_object_invalid": "Date et heure attendues (AAAA-MM-JJTHH:MM avec fuseau)",
    "date_from_datetime_inexact": "Date sans heure attendue (AAAA-MM-JJ)",
    "date_past": "Date passée attendue",
    "date_future": "Date future attendue",
    "datetime_past": "Date et heure passées attendues",
    "datetime_future": "Date et heure futures attendues",
    "timezone_naive": "Heure sans fuseau attendue",
    "timezone_aware": "Heure avec fuseau attendue (par exemple +01:00)",
    "time_type": "Heure attendue (HH:MM)",
    "time_parsing": "Heure attendue (HH:MM)",
    "string_unicode": "Texte attendu",
    "string_not_ascii": "Caractères ASCII attendus",
    "bytes_type": "Texte attendu",
    "none_required": "Aucune valeur attendue",
    "model_type": "Objet attendu",
    "mapping_type": "Objet attendu",
    "iterable_type": "Liste attendue",
    "tuple_type": "Liste attendue",
    "set_type": "Liste attendue",
    "frozen_set_type": "Liste attendue",
    "uuid_type": "Identifiant UUID attendu",
    "uuid_parsing": "Identifiant UUID attendu",
    "url_type": "Adresse web attendue",
    "url_parsing": "Adresse web attendue",
    "url_scheme": "Adresse web attendue (http ou https)",
    "union_tag_invalid": "Type d'objet non prévu",
    "union_tag_not_found": "Type d'objet manquant",
    "recursion_loop": "Structure trop imbriquée",
}


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


def _message(error: Any) -> str:
    kind = error.get("type", "")
    if kind in ("value_error", "assertion_error"):  # our validators' own French sentences
        return (
            str(error.get("msg", ""))
            .removeprefix("Value error, ")
            .removeprefix("Assertion failed, ")
        )
    if kind in ("enum", "literal_error") and (expected := (error.get("ctx") or {}).get("expected")):
        return f"Valeur non prévue ; attendu : {expected}"
    return MESSAGES.get(kind, "Valeur invalide")  # pydantic's own words are English


def champs(errors: Sequence[Any], skip_body: bool = True) -> list[dict[str, str]]:
    out = []
    for error in errors:
        loc = [str(x) for x in error.get("loc", ())]
        if skip_body and loc and loc[0] in ("body", "query", "path"):
            loc = loc[1:]
        if (champ := champ_en_cause(error)) is not None:
            loc.append(champ)
        if error.get("type") == "json_invalid":
            loc = []  # the whole body is unreadable: its location is a byte offset
        out.append({"champ": ".".join(loc) or "corps", "message": _message(error)})
    return out


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
        "donnees_invalides",
        champs(exc.errors()),
        request.url.path,
    )


async def validation_modele(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ValidationError)
    return reponse(
        422,
        "Données invalides : corrigez les champs indiqués",
        "donnees_invalides",
        champs(exc.errors(), skip_body=False),
        request.url.path,
    )


async def commande_impossible(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CommandeImpossible)
    if _page(request):
        return _html(request, exc.status, exc.message)
    return reponse(exc.status, exc.message, exc.code, exc.erreurs, request.url.path)


class Refus(Exception):
    """Raised by routes: becomes a JSON error (API) or a French page (cockpit)."""

    def __init__(
        self, status: int, message: str, code: str, erreurs: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code
        self.erreurs = erreurs or []  # the fields at fault, for machines


async def refus(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refus)
    if _page(request):
        return _html(request, exc.status, exc.message)
    return reponse(exc.status, exc.message, exc.code, exc.erreurs, request.url.path)


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
            "donnees_invalides",
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
        ("/api/", "/healthz", "/codec")
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
