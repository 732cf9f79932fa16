"""data·inclusion's API as the platform calls it (activities/data_inclusion.py): the same
routes, parameters, pagination, Bearer authentication and FastAPI error bodies as the real
one (gip-inclusion/data-inclusion, commit d4969e37319c7c43732fb84e77bf8a030321f781: api/src/
data_inclusion/api/inclusion_data/routes.py, parameters.py, utils/pagination.py,
auth/dependencies.py; item shape of api/tests/e2e/api/__snapshots__/test_inclusion_data.ambr).

A FastAPI application of its own, mounted under ``/data-inclusion``: the simulator's French
error format would not be data·inclusion's ``{"detail": …}``. Its offer starts as the JSON
catalogue of ``referentiels/catalogue`` (``make run`` syncs the same services); tests replace
it and script failures (401, 429 with Retry-After, 5xx, malformed) through ``JeuDataInclusion``.
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass, field
from typing import Annotated, Any

from data_inclusion.schema.v1 import Service, Structure
from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response

from referentiels.catalogue import DOSSIER
from simulator.contexte import Contexte

PARTENAIRE = "data-inclusion"
TAILLE_MAX = 10_000  # config.py MAX_PAGE_SIZE
TAILLE_DEFAUT = 5_000  # config.py DEFAULT_PAGE_SIZE


def _champs(modele: type[Service] | type[Structure], donnees: dict[str, Any]) -> dict[str, Any]:
    """Every field of the schema, null when unknown, as given (the schema's dump reorders
    lists through sets); validated first, so that the simulator never serves a bad record."""
    modele.model_validate(donnees)
    return {champ: donnees.get(champ) for champ in modele.model_fields}


def forme_service(donnees: dict[str, Any]) -> dict[str, Any]:
    """Every field of the schema (null when unknown) and the API's own two."""
    return {
        **_champs(Service, donnees),
        "adresse_certifiee": bool(donnees.get("adresse_certifiee", False)),
        "score_qualite": float(donnees.get("score_qualite", 0.5)),
    }


def forme_structure(donnees: dict[str, Any]) -> dict[str, Any]:
    return {
        **_champs(Structure, donnees),
        "adresse_certifiee": bool(donnees.get("adresse_certifiee", False)),
        "score_qualite": float(donnees.get("score_qualite", 0.5)),
        "doublons": list(donnees.get("doublons", [])),
    }


@dataclass(frozen=True)
class Reponse:
    """A scripted answer, served instead of the next request's."""

    statut: int
    corps: str  # raw: a malformed body must be servable
    entetes: dict[str, str] = field(default_factory=dict)


@dataclass
class JeuDataInclusion:
    """The simulated national offer, by id, and the scripted answers to come."""

    services: dict[str, dict[str, Any]] = field(default_factory=dict)
    structures: dict[str, dict[str, Any]] = field(default_factory=dict)
    a_venir: list[Reponse] = field(default_factory=list)
    appels: list[dict[str, str]] = field(default_factory=list)  # query params, for tests
    verrou: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def du_catalogue(cls) -> JeuDataInclusion:
        jeu = cls()
        for nom, cible in (("services.json", jeu.services), ("structures.json", jeu.structures)):
            for x in json.loads((DOSSIER / nom).read_text(encoding="utf-8")):
                cible[x["id"]] = x
        return jeu

    def remplacer(self, services: list[dict[str, Any]], structures: list[dict[str, Any]]) -> None:
        with self.verrou:
            self.services = {s["id"]: s for s in services}
            self.structures = {s["id"]: s for s in structures}

    def programmer(self, *reponses: Reponse) -> None:
        with self.verrou:
            self.a_venir.extend(reponses)

    def prochaine(self) -> Reponse | None:
        with self.verrou:
            return self.a_venir.pop(0) if self.a_venir else None


def _detail(statut: int, detail: Any, entetes: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=statut, headers=entetes)


def _authentifier(request: Request, jeton: str | None) -> JSONResponse | None:
    """auth/dependencies.py: no Bearer → HTTPBearer's 401 « Not authenticated » (FastAPI
    0.136, the API's lock file); a Bearer that is not a valid token → 401 « Unauthorized »."""
    schema, _, valeur = request.headers.get("Authorization", "").partition(" ")
    if schema.lower() != "bearer" or not valeur:
        return _detail(401, "Not authenticated", {"WWW-Authenticate": "Bearer"})
    if jeton is None or valeur != jeton:
        return _detail(401, "Unauthorized")
    return None


def _page(items: list[dict[str, Any]], page: int, size: int) -> dict[str, Any]:
    """utils/pagination.py: ``size`` is the number of items of this page."""
    tranche = items[size * (page - 1) : size * page]
    return {
        "items": tranche,
        "total": len(items),
        "page": page,
        "size": len(tranche),
        "pages": math.ceil(len(items) / size),
    }


def _du_departement(donnees: dict[str, Any], code: str | None) -> bool:
    """services.py filters on ``code_insee`` starting with the département's code."""
    return code is None or str(donnees.get("code_insee") or "").startswith(code)


def application(ctx: Contexte, jeu: JeuDataInclusion | None = None) -> FastAPI:
    app = FastAPI(title="data·inclusion API (simulateur)", openapi_url="/api/openapi.json")
    app.state.jeu = jeu or JeuDataInclusion.du_catalogue()

    def jeton() -> str | None:
        config = ctx.partners.get(PARTENAIRE)
        return config.jeton if config else None

    def servir(request: Request, liste: list[dict[str, Any]], page: int, size: int) -> Response:
        j: JeuDataInclusion = app.state.jeu
        j.appels.append(dict(request.query_params))
        if (refus := _authentifier(request, jeton())) is not None:
            return refus
        if (scriptee := j.prochaine()) is not None:
            return Response(
                scriptee.corps,
                status_code=scriptee.statut,
                headers=scriptee.entetes,
                media_type="application/json",
            )
        return JSONResponse(_page(sorted(liste, key=lambda x: x["id"]), page, size))

    @app.get("/api/v1/services")
    def services(
        request: Request,
        page: Annotated[int, Query(ge=1)] = 1,
        size: Annotated[int, Query(ge=1, le=TAILLE_MAX)] = TAILLE_DEFAUT,
        code_departement: str | None = None,
        code_commune: str | None = None,
        thematiques: Annotated[list[str] | None, Query()] = None,
    ) -> Response:
        j: JeuDataInclusion = app.state.jeu
        with j.verrou:
            choisis = [
                forme_service(s)
                for s in j.services.values()
                if _du_departement(s, code_departement)
                and (code_commune is None or s.get("code_insee") == code_commune)
                and (not thematiques or set(thematiques) & set(s.get("thematiques") or []))
            ]
        return servir(request, choisis, page, size)

    @app.get("/api/v1/structures")
    def structures(
        request: Request,
        page: Annotated[int, Query(ge=1)] = 1,
        size: Annotated[int, Query(ge=1, le=TAILLE_MAX)] = TAILLE_DEFAUT,
        code_departement: str | None = None,
        code_commune: str | None = None,
    ) -> Response:
        j: JeuDataInclusion = app.state.jeu
        with j.verrou:
            choisies = [
                forme_structure(s)
                for s in j.structures.values()
                if _du_departement(s, code_departement)
                and (code_commune is None or s.get("code_insee") == code_commune)
            ]
        return servir(request, choisies, page, size)

    return app
