"""JSON API of the job offers (issue 24): entered by the chargés de relation entreprise for a
company of the directory, followed by their status, labelled « offre inclusive »."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel

from employeurs import offres
from employeurs.annuaire import EmployeurRefuse
from referentiels.rome import libelle_metier
from schemas.common import Territoire
from schemas.emploi import TypeContratTravail
from schemas.employeur import OffreSaisie, StatutOffre, StatutSaisi
from services.audit import journaliser
from store.employeurs import EntrepriseRow, OffreRow
from web.api.employeurs import ERREURS, autoriser, refus
from web.deps import SessionDep, UtilisateurApi, adresse

router = APIRouter(prefix="/api/v1/offres", tags=["Employeurs"])


class OffreVue(BaseModel):
    id: str
    siret: str
    entreprise: str
    intitule: str
    code_rome: str
    metier: str
    commune: str
    bassin: str | None
    type_contrat: str
    type_contrat_libelle: str
    heures_hebdomadaires: float | None
    horaires: str | None
    permis_requis: bool
    horaires_decales: bool
    inclusive: bool
    statut: str
    statut_libelle: str
    source: str
    cree_le: datetime


def vue(row: OffreRow, entreprise: EntrepriseRow | None) -> OffreVue:
    return OffreVue(
        **row.model_dump(
            include={
                "id",
                "siret",
                "intitule",
                "code_rome",
                "commune",
                "bassin",
                "type_contrat",
                "heures_hebdomadaires",
                "horaires",
                "permis_requis",
                "horaires_decales",
                "inclusive",
                "statut",
                "source",
                "cree_le",
            }
        ),
        entreprise=entreprise.nom if entreprise else row.siret,
        metier=libelle_metier(row.code_rome),
        type_contrat_libelle=TypeContratTravail(row.type_contrat).label,
        statut_libelle=StatutOffre(row.statut).label,
    )


@router.get("", response_model=list[OffreVue], responses=ERREURS, summary="Offres")
async def lister_offres(
    u: UtilisateurApi,
    session: SessionDep,
    bassin: Territoire | None = None,
    statut: StatutOffre | None = None,
    inclusives: bool = False,
) -> list[OffreVue]:
    autoriser(u)
    rows = await offres.lister(session, bassin, statut, inclusives)
    return [vue(r, await session.get(EntrepriseRow, r.siret)) for r in rows]


@router.post(
    "", status_code=201, response_model=OffreVue, responses=ERREURS, summary="Saisir une offre"
)
async def publier_offre(
    saisie: OffreSaisie, u: UtilisateurApi, session: SessionDep, request: Request
) -> OffreVue:
    autoriser(u)
    try:
        row = await offres.publier(session, saisie, u.acteur)
    except EmployeurRefuse as err:
        raise refus(err) from None
    entreprise = await session.get(EntrepriseRow, row.siret)
    await journaliser(session, u, "ecriture", f"offre:{row.id}", "saisie", adresse(request))
    return vue(row, entreprise)


@router.get("/{offre_id}", response_model=OffreVue, responses=ERREURS, summary="Une offre")
async def consulter_offre(offre_id: str, u: UtilisateurApi, session: SessionDep) -> OffreVue:
    autoriser(u)
    try:
        row = await offres.charger(session, offre_id)
    except EmployeurRefuse as err:
        raise refus(err) from None
    return vue(row, await session.get(EntrepriseRow, row.siret))


@router.put(
    "/{offre_id}/statut", response_model=OffreVue, responses=ERREURS, summary="Changer le statut"
)
async def changer_statut_offre(
    offre_id: str, corps: StatutSaisi, u: UtilisateurApi, session: SessionDep, request: Request
) -> OffreVue:
    autoriser(u)
    try:
        row = await offres.changer_statut(session, offre_id, corps.statut)
    except EmployeurRefuse as err:
        raise refus(err) from None
    entreprise = await session.get(EntrepriseRow, row.siret)
    await journaliser(
        session, u, "ecriture", f"offre:{row.id}", corps.statut.value, adresse(request)
    )
    return vue(row, entreprise)
