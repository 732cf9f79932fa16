"""Small helpers shared by the cockpit's pages and fragments."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from temporalio.client import WorkflowQueryFailedError
from temporalio.service import RPCError

from core.clock import PARIS
from schemas.parcours import ParcoursState
from services import parcours as service
from services.parcours_client import CommandeImpossible, ParcoursClient
from services.utilisateur import Utilisateur
from web.erreurs import Refus
from web.templating import templates

# The event that tells every part of a page to refresh itself after a change.
PARCOURS_MODIFIE = "parcours-modifie"


def maj() -> str:
    """The time a list or a page was computed, as people read it ("mis à jour à …")."""
    return datetime.now(UTC).astimezone(PARIS).strftime("%H:%M:%S")


def est_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def rendre(
    request: Request,
    gabarit: str,
    contexte: dict[str, Any],
    *,
    status: int = 200,
    declencher: dict[str, Any] | None = None,
) -> Response:
    response = templates.TemplateResponse(request, gabarit, contexte, status_code=status)
    if declencher:
        response.headers["HX-Trigger"] = json.dumps(declencher)
    return response


def alerte(
    request: Request,
    message: str,
    *,
    status: int = 200,
    genre: str = "error",
    titre: str | None = None,
    declencher: dict[str, Any] | None = None,
    focus: bool = True,
) -> Response:
    """A DSFR alert as a fragment: a refusal or a confirmation shown in place. ``focus``
    False for announcements in a live region, which must not pull the keyboard away."""
    return rendre(
        request,
        "composants/_alerte.html",
        {"message": message, "genre": genre, "titre": titre, "focus": focus},
        status=status,
        declencher=declencher,
    )


def page_erreur(
    request: Request, u: Utilisateur | None, status: int, message: str, parcours: bool = False
) -> Response:
    """A refusal met while loading a whole page, or a fragment when htmx asked for one;
    ``parcours``: the page is a parcours' own, whose 404 says so."""
    if est_htmx(request):
        return alerte(request, message, status=status)
    intitule = "Parcours introuvable" if parcours and status == 404 else ""
    contexte = {"titre": "Page indisponible", "message": message, "status": status}
    return rendre(
        request, "composants/erreur.html", {"u": u, "intitule": intitule} | contexte, status=status
    )


def vide() -> Response:
    return HTMLResponse("")


def annonce(request: Request, message: str, **kw: Any) -> Response:
    """An alert for the page's live region (#annonces): said aloud, focus left in place."""
    return alerte(request, message, **kw, focus=False)


async def etat(parcours: ParcoursClient, u: Utilisateur, parcours_id: str) -> ParcoursState:
    """The parcours as this person may see it; every failure becomes a French ``Refus``."""
    try:
        return await service.lire(parcours, u, parcours_id)
    except CommandeImpossible as err:
        raise Refus(err.status, err.message, err.code) from None
    except (WorkflowQueryFailedError, RPCError):
        raise Refus(
            503,
            "Ce parcours ne peut pas être lu pour le moment (moteur de parcours) : "
            "réessayez dans un instant",
            "etat_illisible",
        ) from None
