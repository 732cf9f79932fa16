"""JSON API of the job offers (issue 24): entered by the chargés de relation entreprise for a
company of the directory, followed by their status, labelled « offre inclusive »."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel, field_validator

from employeurs import offres
from employeurs.annuaire import EmployeurRefuse
from referentiels.rome import libelle_metier
from schemas.common import Territoire
from schemas.emploi import TypeContratTravail
from schemas.employeur import OffreSaisie, StatutOffre, StatutSaisi, siret_normalise
from services.audit import journaliser
from store.employeurs import EntrepriseRow, OffreRow
from web.api.employeurs import ERREURS, autoriser, refus
from web.deps import SessionDep, UtilisateurApi, adresse

router = APIRouter(prefix="/api/v1/offres", tags=["Employeurs"])


class OffreVue(BaseModel):
    id: str
    siret: str | None  # None: an offer of France Travail without SIRET, to attach
    entreprise: str
    entreprise_identifiee: bool
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
        entreprise=offres.nom_entreprise(row, entreprise),
        entreprise_identifiee=entreprise is not None,
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
    return [vue(r, await offres.entreprise_de(session, r)) for r in rows]


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
    entreprise = await offres.entreprise_de(session, row)
    await journaliser(session, u, "ecriture", f"offre:{row.id}", "saisie", adresse(request))
    return vue(row, entreprise)


@router.get("/{offre_id}", response_model=OffreVue, responses=ERREURS, summary="Une offre")
async def consulter_offre(offre_id: str, u: UtilisateurApi, session: SessionDep) -> OffreVue:
    autoriser(u)
    try:
        row = await offres.charger(session, offre_id)
    except EmployeurRefuse as err:
        raise refus(err) from None
    return vue(row, await offres.entreprise_de(session, row))


class RattachementSaisi(BaseModel):
    siret: str

    @field_validator("siret")
    @classmethod
    def _siret(cls, valeur: str) -> str:
        return siret_normalise(valeur)


@router.put(
    "/{offre_id}/entreprise",
    response_model=OffreVue,
    responses=ERREURS,
    summary="Rattacher l'offre à une entreprise de l'annuaire (offre sans SIRET)",
)
async def rattacher_offre(
    offre_id: str,
    corps: RattachementSaisi,
    u: UtilisateurApi,
    session: SessionDep,
    request: Request,
) -> OffreVue:
    autoriser(u)
    try:
        row = await offres.rattacher(session, offre_id, corps.siret)
    except EmployeurRefuse as err:
        raise refus(err) from None
    detail = f"rattachée à entreprise:{corps.siret}"
    await journaliser(session, u, "ecriture", f"offre:{row.id}", detail, adresse(request))
    return vue(row, await offres.entreprise_de(session, row))


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
    entreprise = await offres.entreprise_de(session, row)
    await journaliser(
        session, u, "ecriture", f"offre:{row.id}", corps.statut.value, adresse(request)
    )
    return vue(row, entreprise)
