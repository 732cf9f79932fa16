"""The « à rapprocher » queue in the coordination page: partner events no parcours claimed,
a search of parcours by name or reference, and « rattacher à ce parcours »."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from sqlmodel.ext.asyncio.session import AsyncSession

from services.utilisateur import Utilisateur
from store.parcours import ParcoursRow
from web.cockpit import pages
from web.deps import ParcoursDep, SessionDep, UtilisateurPage, adresse, aujourd_hui
from web.erreurs import Refus
from web.partenaires.rapprochement import EvenementVue, file_a_rapprocher, rattacher
from web.requetes import Filtres, lister

router = APIRouter(include_in_schema=False)
LIMITE = 30


def dom_id(partenaire: str, evenement_id: str) -> str:
    """Event ids come from partners: never put them raw in an HTML id."""
    return "evt-" + hashlib.sha256(f"{partenaire}/{evenement_id}".encode()).hexdigest()[:12]


async def contexte(session: AsyncSession, u: Utilisateur, _: Request) -> dict[str, Any]:
    total, rows = await file_a_rapprocher(session, u, limit=LIMITE)
    evenements = [(EvenementVue.depuis(r), dom_id(r.partenaire, r.id)) for r in rows]
    return {"a_rapprocher_total": total, "evenements": evenements}


@router.get("/coordination/rapprocher/recherche")
async def recherche(
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    partenaire: Annotated[str, Query(max_length=40)],
    evenement_id: Annotated[str, Query(max_length=200)],
    q: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    """Open parcours matching a name or a reference, each with a « rattacher » button."""
    if not (u.est_coordinateur or u.est_admin):  # the queue is the coordination's
        return pages.alerte(
            request, "La file à rapprocher est réservée à la coordination", status=403
        )
    rows: list[ParcoursRow] = []
    if len(q.strip()) >= 2:
        _, rows = await lister(session, u, Filtres(q=q.strip(), limit=8), aujourd_hui())
    ctx = {
        "u": u,
        "q": q,
        "rows": rows,
        "partenaire": partenaire,
        "evenement_id": evenement_id,
        "dom": dom_id(partenaire, evenement_id),
    }
    return pages.rendre(request, "coordination/_recherche.html", ctx)


@router.post("/coordination/rapprocher")
async def rattacher_evenement(
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    parcours: ParcoursDep,
    partenaire: Annotated[str, Form(max_length=40)],
    evenement_id: Annotated[str, Form(max_length=200)],
    parcours_id: Annotated[str, Form(max_length=80)],
) -> Response:
    try:
        await rattacher(
            session, parcours, u, partenaire, evenement_id, parcours_id, adresse(request)
        )
    except Refus as err:
        return pages.annonce(request, err.message, status=err.status, titre="Rattachement refusé")
    return pages.annonce(
        request,
        "Événement rattaché : le parcours le reçoit, et les prochains le trouveront seuls.",
        genre="success",
        declencher={pages.PARCOURS_MODIFIE: {"parcours": parcours_id}},
    )
