"""The parcours list ("mes parcours" for a référent, the territory for a coordinator): filters
kept in the URL, the table refreshed by htmx without reloading the page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from core.clock import PARIS
from schemas.common import Organisme, Territoire
from schemas.parcours import Phase, Statut
from web.deps import SessionDep, UtilisateurPage, adresse, aujourd_hui
from web.requetes import TRIS, Filtres, lister
from web.securite.audit import journaliser
from web.templating import templates

router = APIRouter(include_in_schema=False)


def _vide(value: str | None) -> str | None:
    return value or None


def filtres(
    territoire: Annotated[str | None, Query()] = None,
    phase: Annotated[str | None, Query()] = None,
    statut: Annotated[str | None, Query()] = None,
    organisme: Annotated[str | None, Query()] = None,
    motif: Annotated[str | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    tri: str = "echeance",
    descendant: bool = False,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> Filtres:
    """Empty form fields arrive as "": they mean "any"."""
    return Filtres(
        territoire=Territoire(territoire) if territoire else None,
        phase=Phase(phase) if phase else None,
        statut=Statut(statut) if statut else None,
        organisme=Organisme(organisme) if organisme else None,
        motif=_vide(motif),
        q=_vide(q),
        tri=tri if tri in TRIS else "echeance",
        descendant=descendant,
        limit=50,
        offset=(page - 1) * 50,
    )


FiltresDep = Annotated[Filtres, Depends(filtres)]


async def _contexte(
    request: Request, u: UtilisateurPage, session: SessionDep, f: Filtres
) -> dict[str, object]:
    total, rows = await lister(session, u, f, aujourd_hui())
    await journaliser(
        session, u, "liste", "parcours", str(request.url.query)[:300], adresse(request)
    )
    return {
        "u": u,
        "f": f,
        "total": total,
        "rows": rows,
        "page": f.offset // f.limit + 1,
        "pages": max(1, -(-total // f.limit)),
        "query": request.url.query,
        "maj": datetime.now(UTC).astimezone(PARIS).strftime("%H:%M:%S"),
        "Territoire": Territoire,
        "Organisme": Organisme,
    }


@router.get("/", response_class=HTMLResponse)
async def liste(
    request: Request, u: UtilisateurPage, session: SessionDep, f: FiltresDep
) -> Response:
    ctx = await _contexte(request, u, session, f)
    titre = (
        "Mes parcours"
        if u.est_referent
        else "Parcours du territoire"
        if u.est_coordinateur
        else "Parcours"
    )
    return templates.TemplateResponse(
        request, "parcours/liste.html", {**ctx, "titre": titre, "actif": "parcours"}
    )


@router.get("/parcours/tableau", response_class=HTMLResponse)
async def tableau(
    request: Request, u: UtilisateurPage, session: SessionDep, f: FiltresDep
) -> Response:
    """The table alone, for htmx (filters, paging, periodic refresh)."""
    ctx = await _contexte(request, u, session, f)
    return templates.TemplateResponse(request, "parcours/_tableau.html", ctx)
