"""What the OpenAPI description says beyond FastAPI's defaults: how to authenticate (the
Authorize button of /docs), readable operation ids, errors as problem details, and French
everywhere (FastAPI's own words and the models' docstrings, written for developers, are
replaced or left out)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from enum import Enum
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel

from web.erreurs import PROBLEME, Erreur
from web.securite.entetes import TROP_GROS
from web.securite.sessions import COOKIE

SCHEMAS_DE_SECURITE = {
    "jeton": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "pcr_…",
        "description": "Jeton d'API personnel : `Authorization: Bearer pcr_…`",
    },
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": COOKIE,
        "description": "Cookie de session du cockpit (avec l'en-tête `X-CSRF-Token` pour écrire)",
    },
}
TRADUCTIONS = {
    "Successful Response": "Réponse réussie",
    "Validation Error": "Données invalides",
    "Not Found": "Ressource introuvable",
}


def identifiant(route: APIRoute) -> str:
    """The operation id: the route function's name (unique: checked by the tests)."""
    return route.name


def _sous_classes(cls: type) -> Iterator[type]:
    sous: type
    for sous in cls.__subclasses__():
        yield sous
        yield from _sous_classes(sous)


def _docstrings() -> set[str]:
    """The models' docstrings: English notes for developers, not the API's documentation."""
    docs = {inspect.cleandoc(c.__doc__ or "") for c in _sous_classes(BaseModel)}
    docs |= {inspect.cleandoc(c.__doc__ or "") for c in _sous_classes(Enum)}
    return docs - {""}


def _reponses(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            yield from operation.get("responses", {}).items()


def _sans_docstrings(noeud: Any, docs: set[str]) -> None:
    """Wherever a model's schema lands: among the components, or inline in a request body."""
    if isinstance(noeud, dict):
        texte = noeud.get("description")
        if isinstance(texte, str) and texte in docs:
            del noeud["description"]
        for valeur in noeud.values():
            _sans_docstrings(valeur, docs)
    elif isinstance(noeud, list):
        for valeur in noeud:
            _sans_docstrings(valeur, docs)


def _en_francais(schema: dict[str, Any]) -> None:
    _sans_docstrings(schema, _docstrings())
    for _, reponse in _reponses(schema):
        reponse["description"] = TRADUCTIONS.get(reponse["description"], reponse["description"])


def _problemes(schema: dict[str, Any]) -> None:
    """Every 4xx/5xx answer is a problem detail, FastAPI's default 422 included."""
    reference = {"$ref": "#/components/schemas/Erreur"}
    for code, reponse in _reponses(schema):
        if code[0] in "45":
            reponse["content"] = {PROBLEME: {"schema": reference}}
    composants = schema.setdefault("components", {}).setdefault("schemas", {})
    composants["Erreur"] = Erreur.model_json_schema(ref_template="#/components/schemas/{model}")
    for inutile in ("HTTPValidationError", "ValidationError"):
        composants.pop(inutile, None)


ETAG = {
    "description": 'Version du parcours (par exemple `"12"`), à renvoyer dans `If-Match` '
    "avec la commande suivante",
    "schema": {"type": "string"},
}
PARCOURS = {"$ref": "#/components/schemas/ParcoursVue"}


def _etags(schema: dict[str, Any]) -> None:
    """Every answer carrying a parcours (its opening, its reading, each command) has its ETag:
    said here, so that a client written from this description alone knows it."""
    for code, reponse in _reponses(schema):
        contenu = reponse.get("content", {}).get("application/json", {})
        if code.startswith("2") and contenu.get("schema") == PARCOURS:
            reponse.setdefault("headers", {})["ETag"] = ETAG


def _corps(schema: dict[str, Any]) -> None:
    """Every route that takes a body can be refused before it runs, by the body's guard
    (``web/securite/saisies.py``): too big (413) or of another type than JSON or a form (415).
    Said for each of them, unless the route says it with its own limit (partner events)."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if "requestBody" not in operation:
                continue
            reponses = operation.setdefault("responses", {})
            reponses.setdefault("413", {"description": TROP_GROS})
            reponses.setdefault(
                "415", {"description": "Corps d'un autre type que JSON ou formulaire"}
            )


def _anonymes(schema: dict[str, Any]) -> None:
    """Health checks need nothing; partners sign each event instead (see their section)."""
    for chemin, operations in schema.get("paths", {}).items():
        if chemin.startswith(("/livez", "/readyz", "/healthz", "/api/v1/partners/")):
            for operation in operations.values():
                operation["security"] = []


def personnaliser(app: FastAPI) -> None:
    """Replace ``app.openapi`` by FastAPI's, completed once."""
    generer = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generer()
            schema.setdefault("components", {})["securitySchemes"] = SCHEMAS_DE_SECURITE
            schema["security"] = [{"jeton": []}, {"session": []}]
            _anonymes(schema)
            _etags(schema)
            _corps(schema)
            _problemes(schema)
            _en_francais(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
