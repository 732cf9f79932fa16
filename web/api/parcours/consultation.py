"""GET /api/v1/parcours and /api/v1/parcours/{id}: the list a user may see, and one parcours
with its timeline and the commands possible."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from schemas.common import Organisme, Territoire
from schemas.parcours import Phase, Statut
from services import parcours as service
from services.audit import journaliser
from web.api.parcours.chemin import PREFIXE
from web.api.parcours.reponses import ERREURS, etag
from web.deps import ParcoursDep, SessionDep, UtilisateurApi, adresse, aujourd_hui
from web.requetes import Filtres, lister
from web.securite.requete_auditee import requete_auditee
from web.vues import PageParcours, ParcoursResume, ParcoursVue, vue

router = APIRouter(prefix=PREFIXE)


@router.get(
    "", response_model=PageParcours, responses=ERREURS, summary="Lister les parcours visibles"
)
async def liste(
    u: UtilisateurApi,
    session: SessionDep,
    request: Request,
    territoire: Territoire | None = None,
    phase: Phase | None = None,
    statut: Statut | None = None,
    organisme: Organisme | None = None,
    referent: str | None = None,
    motif: Annotated[str | None, Query(description="Code d'une règle de la vigie")] = None,
    q: Annotated[str | None, Query(max_length=100, description="Nom, prénom ou référence")] = None,
    anciennete: Annotated[
        int | None, Query(ge=0, le=3650, description="Alerte levée depuis au moins N jours")
    ] = None,
    inclure_clos: Annotated[bool, Query(description="Inclure les parcours clos (sortie)")] = True,
    tri: str = "echeance",
    descendant: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> PageParcours:
    f = Filtres(
        territoire=territoire,
        phase=phase,
        statut=statut,
        organisme=organisme,
        referent=referent,
        motif=motif,
        q=q,
        anciennete=anciennete,
        inclure_clos=inclure_clos,
        tri=tri,
        descendant=descendant,
        limit=limit,
        offset=offset,
    )
    total, rows = await lister(session, u, f, aujourd_hui())
    await journaliser(session, u, "liste", "parcours", requete_auditee(request), adresse(request))
    return PageParcours(
        total=total, limit=limit, offset=offset, items=[ParcoursResume.depuis(r) for r in rows]
    )


@router.get(
    "/{parcours_id}",
    response_model=ParcoursVue,
    responses=ERREURS,
    summary="Consulter un parcours : état, fil, commandes possibles",
)
async def consulter(
    parcours_id: str,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
    request: Request,
    response: Response,
) -> ParcoursVue:
    state = await service.lire(parcours, u, parcours_id)
    await journaliser(session, u, "lecture", f"parcours:{parcours_id}", "", adresse(request))
    response.headers["ETag"] = etag(state)
    return vue(state, u)
