"""Incidents of partner calls: the list grouped by partner and error, and the bulk retry."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from schemas.common import Territoire
from schemas.incident import Partenaire, StatutIncident
from services.audit import journaliser
from web.deps import ParcoursDep, SessionDep, UtilisateurApi, adresse
from web.erreurs import Erreur
from web.partenaires.incidents import (
    DemandeRelance,
    FiltresIncidents,
    IncidentVue,
    PageIncidents,
    ResultatRelance,
    grouper,
    lister_incidents,
    relancer_partenaire,
)

router = APIRouter(prefix="/api/v1/incidents", tags=["Incidents"])

ERREURS: dict[int | str, dict[str, Any]] = {
    401: {"model": Erreur, "description": "Authentification requise"},
    403: {"model": Erreur, "description": "Territoire hors de votre périmètre"},
    422: {"model": Erreur, "description": "Paramètre invalide (champ nommé)"},
    503: {"model": Erreur, "description": "Moteur de parcours injoignable"},
}


@router.get(
    "",
    response_model=PageIncidents,
    responses=ERREURS,
    summary="Incidents des appels aux partenaires, groupés par partenaire et par erreur",
    description="Sans `statut` : les incidents actifs (ouverts ou en nouvelle tentative). "
    "Les groupes portent sur tous les incidents filtrés, la liste est paginée ; "
    "le plus ancien premier échec d'abord.",
)
async def lister(
    u: UtilisateurApi,
    session: SessionDep,
    request: Request,
    partenaire: Partenaire | None = None,
    statut: StatutIncident | None = None,
    territoire: Territoire | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> PageIncidents:
    f = FiltresIncidents(partenaire=partenaire, statut=statut, territoire=territoire)
    total, rows = await lister_incidents(session, u, f, limit=limit, offset=offset)
    groupes = await grouper(session, u, f)
    await journaliser(
        session, u, "liste", "incidents", str(request.url.query)[:300], adresse(request)
    )
    return PageIncidents(
        total=total,
        limit=limit,
        offset=offset,
        incidents=[IncidentVue.depuis(r) for r in rows],
        groupes=groupes,
    )


@router.post(
    "/relance",
    response_model=ResultatRelance,
    responses=ERREURS,
    summary="Relancer tous les incidents ouverts d'un partenaire (après une panne)",
    description="Relance chaque incident ouvert du partenaire dans votre périmètre, par la "
    "commande « Relancer l'appel en échec » de son parcours. Un refus n'arrête pas les "
    "autres : il figure dans `echecs` avec sa raison.",
)
async def relancer(
    demande: DemandeRelance,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
    request: Request,
) -> ResultatRelance:
    return await relancer_partenaire(session, parcours, u, demande.partenaire, request)
