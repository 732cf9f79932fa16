"""Actions of the coordination that span several parcours. (Actions on one parcours —
relancer le référent, réassigner, réunion, incident — are its commands' own forms.)"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from core.formats import pluriel
from schemas.incident import Partenaire
from web.cockpit import pages
from web.deps import ParcoursDep, SessionDep, UtilisateurPage
from web.erreurs import Refus
from web.partenaires.incidents import relancer_partenaire

router = APIRouter(include_in_schema=False)


@router.post("/coordination/incidents/relancer")
async def relancer_tout(
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    parcours: ParcoursDep,
    partenaire: Annotated[str, Form(max_length=40)],
) -> Response:
    """After an outage: retry every open incident of one partner within one's scope."""
    if partenaire not in {p.value for p in Partenaire}:
        return pages.annonce(request, f"Partenaire inconnu : « {partenaire} »", status=422)
    if not (u.est_coordinateur or u.est_admin):
        return pages.annonce(request, "Action réservée à la coordination", status=403)
    p = Partenaire(partenaire)
    try:
        r = await relancer_partenaire(session, parcours, u, p, request)
    except Refus as err:
        return pages.annonce(request, err.message, status=err.status)
    message = f"{p.label} : {pluriel(r.relances, 'nouvelle tentative lancée', 'nouvelles tentatives lancées')}."
    if r.echecs:
        message += f" {pluriel(len(r.echecs), 'refusée')} : " + " ; ".join(
            sorted({e.message for e in r.echecs})
        )
    return pages.annonce(
        request,
        message,
        genre="success" if not r.echecs else "warning",
        titre="Relance groupée",
        declencher={pages.PARCOURS_MODIFIE: {"partenaire": partenaire}},
    )
