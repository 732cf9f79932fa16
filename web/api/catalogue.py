"""The offer of services of the territory (data·inclusion format), for the prescription of actions."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from referentiels.catalogue import Offre, familles, rechercher
from schemas.common import Territoire
from store import catalogue
from web.deps import SessionDep, UtilisateurApi
from web.erreurs import Erreur

router = APIRouter(prefix="/api/v1/catalogue", tags=["Catalogue des services"])


class ServiceCatalogue(BaseModel):
    id: str
    nom: str
    description: str
    structure: str
    thematiques: list[str]
    type: str | None
    commune: str | None
    adresse: str | None
    publics: list[str]
    volume_horaire_hebdomadaire: float | None
    nombre_semaines: int | None
    date_maj: date

    @classmethod
    def depuis(cls, o: Offre) -> ServiceCatalogue:
        s = o.service
        return cls(
            id=s.id,
            nom=s.nom,
            description=s.description,
            structure=o.structure.nom,
            thematiques=sorted(t.value for t in s.thematiques or []),
            type=s.type.value if s.type else None,
            commune=s.commune,
            adresse=s.adresse,
            publics=sorted(p.value for p in s.publics or []),
            volume_horaire_hebdomadaire=s.volume_horaire_hebdomadaire,
            nombre_semaines=s.nombre_semaines,
            date_maj=s.date_maj,
        )


@router.get(
    "/services",
    response_model=list[ServiceCatalogue],
    responses={401: {"model": Erreur}},
    summary="Rechercher un service de l'offre territoriale",
)
async def services(
    _: UtilisateurApi,
    session: SessionDep,
    thematique: Annotated[
        str | None, Query(description="Code data·inclusion ou sa famille (« mobilite »)")
    ] = None,
    territoire: Territoire | None = None,
    commune: Annotated[
        str | None, Query(pattern=r"^\d[0-9AB]\d{3}$", description="Code INSEE")
    ] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> list[ServiceCatalogue]:
    return [
        ServiceCatalogue.depuis(o)
        for o in rechercher(
            thematique=thematique,
            territoire=territoire,
            commune=commune,
            texte=q,
            parmi=await catalogue.offres(session),
        )
    ]


@router.get(
    "/thematiques", response_model=list[str], summary="Familles de thématiques (data·inclusion)"
)
async def thematiques(_: UtilisateurApi) -> list[str]:
    return familles()
