"""The administration's audit page: search the log, page through it, export what was found
(the CSV of /api/v1/audit/export.csv, with the same criteria)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from services.audit import journaliser
from store.audit import ACTIONS_AUDIT, LIBELLES_ACTIONS
from web.api.audit import Filtres, FiltresAudit, admin_seulement, chercher
from web.deps import SessionDep, UtilisateurPage, adresse
from web.templating import templates

router = APIRouter(include_in_schema=False)
PAR_PAGE = 50


def _criteres(f: FiltresAudit) -> dict[str, str]:
    brut = {"compte": f.compte, "objet": f.objet, "action": f.action, "du": f.du, "au": f.au}
    return {k: str(v) for k, v in brut.items() if v}


@router.get("/administration/audit", response_class=HTMLResponse)
async def page(
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    filtres: Filtres,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    admin_seulement(u)
    resultat = await chercher(session, filtres, PAR_PAGE, offset)
    criteres = _criteres(filtres)
    await journaliser(
        session, u, "lecture", "audit:page", urlencode(criteres)[:300], adresse(request)
    )
    return templates.TemplateResponse(
        request,
        "administration/audit.html",
        {
            "u": u,
            "titre": "Journal d'audit",
            "actif": "audit",
            "f": filtres,
            "actions": [(a, LIBELLES_ACTIONS[a]) for a in ACTIONS_AUDIT],
            "libelles_actions": LIBELLES_ACTIONS,
            "page": resultat,
            "offset": offset,
            "par_page": PAR_PAGE,
            "criteres": urlencode(criteres),
            "export": "/api/v1/audit/export.csv" + (f"?{urlencode(criteres)}" if criteres else ""),
        },
    )
