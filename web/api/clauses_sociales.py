"""JSON API of the social insertion clauses (issue 24, item 6): contracts recorded by the
chargés de relation entreprise of the territory, people placed on them by their référent or
by the chargé (from the territory's pool, with the person's consent), hours done, and the
report per contract. Every write, every contract read and every person shown is audited."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from employeurs import clauses
from employeurs.annuaire import EmployeurRefuse
from employeurs.lieux import refus_champ
from schemas.clause_sociale import ClauseSaisie, HeuresSaisies, PlacementSaisi
from schemas.common import Role, Territoire
from services.audit import journaliser
from services.utilisateur import Utilisateur
from store.clauses import ClauseSocialeRow, PlacementClauseRow
from store.employeurs import EntrepriseRow, VivierRow
from store.parcours import ParcoursRow
from web.api.employeurs import ERREURS, refus
from web.api.relation_entreprise import (
    du_territoire,
    gerer,
    gestionnaire,
    lire,
    personnes_visibles,
)
from web.api.vivier import parcours_du_referent
from web.deps import SessionDep, UtilisateurApi, adresse
from web.erreurs import Refus

router = APIRouter(prefix="/api/v1/clauses-sociales", tags=["Employeurs"])


class BilanVue(BaseModel):
    heures_exigees: int
    heures_realisees: float
    heures_restantes: float
    part_realisee: float
    personnes: int


class PlacementVue(BaseModel):
    id: str
    parcours_id: str
    nom: str
    prenom: str
    referent_nom: str | None
    debut: date
    heures_realisees: float


class ClauseVue(BaseModel):
    id: str
    intitule: str
    acheteur: str
    siret: str
    entreprise: str
    commune: str
    bassin: str
    bassin_libelle: str
    heures_exigees: int
    debut: date
    fin: date
    bilan: BilanVue
    placements: list[PlacementVue] | None = None  # on the contract's own page


async def vue(session: AsyncSession, row: ClauseSocialeRow) -> ClauseVue:
    entreprise = await session.get(EntrepriseRow, row.siret)
    b = clauses.bilan(row, await clauses.tous_les_placements(session, row.id))
    return ClauseVue(
        **row.model_dump(
            include={
                "id",
                "intitule",
                "acheteur",
                "siret",
                "commune",
                "bassin",
                "heures_exigees",
                "debut",
                "fin",
            }
        ),
        entreprise=entreprise.nom if entreprise else row.siret,
        bassin_libelle=Territoire(row.bassin).label,
        bilan=BilanVue(**b.__dict__),
    )


def vue_placement(pl: PlacementClauseRow, p: ParcoursRow) -> PlacementVue:
    return PlacementVue(
        id=pl.id,
        parcours_id=p.id,
        nom=p.nom,
        prenom=p.prenom,
        referent_nom=p.referent_nom,
        debut=pl.debut,
        heures_realisees=pl.heures_realisees,
    )


async def charger(session: AsyncSession, clause_id: str) -> ClauseSocialeRow:
    try:
        return await clauses.charger(session, clause_id)
    except EmployeurRefuse as err:
        raise refus(err) from None


async def personne_a_placer(
    session: AsyncSession, u: Utilisateur, clause: ClauseSocialeRow, pid: str
) -> ParcoursRow:
    """Their référent places a person they accompany; a chargé of the contract's territory, a
    person of the territory's pool who consented to be presented to them."""
    if u.role != Role.CHARGE_ENTREPRISE:
        return await parcours_du_referent(session, u, pid)
    gerer(u, clause.bassin)
    fiche = await session.get(VivierRow, pid)
    parcours = await session.get(ParcoursRow, pid)
    if (
        fiche is None
        or not fiche.consentement
        or fiche.territoire != clause.bassin
        or parcours is None
        or parcours.anonymise
    ):
        raise refus(refus_champ("parcours_id", "Cette personne n'est pas dans le vivier"))
    return parcours


async def placements_visibles(
    session: AsyncSession, u: Utilisateur, row: ClauseSocialeRow, ip: str | None
) -> list[PlacementVue]:
    """The people placed that the reader may see, each an audited read of their parcours."""
    qui = personnes_visibles(u, row.bassin)
    if qui is False:
        return []
    lignes = await clauses.placements(session, row.id, None if qui is True else str(qui))
    for _, p in lignes:
        detail = f"placement clause:{row.id}"
        await journaliser(session, u, "lecture", f"parcours:{p.id}", detail, ip)
    return [vue_placement(pl, p) for pl, p in lignes]


async def placement_a_saisir(
    session: AsyncSession, u: Utilisateur, row: ClauseSocialeRow, placement_id: str
) -> tuple[PlacementClauseRow, ParcoursRow]:
    """A placement whose hours this person may enter: any of the contract's for a chargé of
    its territory (or the administration), else one of a person they accompany; any other is
    the answer about a placement that does not exist. The same people may take it away."""
    inconnu = refus(EmployeurRefuse(404, "Placement introuvable", "placement_inconnu"))
    try:
        placement = await clauses.charger_placement(session, row.id, placement_id)
    except EmployeurRefuse as err:
        raise refus(err) from None
    parcours = await session.get(ParcoursRow, str(placement.parcours_id))
    if parcours is None:
        raise inconnu
    if not du_territoire(u, row.bassin):
        try:  # the référent of the person placed
            await parcours_du_referent(session, u, parcours.id)
        except Refus as err:  # not theirs: the same answer as for a placement that does not exist
            if err.status != 404:
                raise
            raise inconnu from None
    return placement, parcours


@router.get("", response_model=list[ClauseVue], responses=ERREURS, summary="Marchés à clause")
async def lister_clauses(
    u: UtilisateurApi, session: SessionDep, bassin: Territoire | None = None
) -> list[ClauseVue]:
    lire(u)
    return [await vue(session, r) for r in await clauses.lister(session, bassin)]


@router.post(
    "",
    status_code=201,
    response_model=ClauseVue,
    responses=ERREURS,
    summary="Enregistrer un marché public à clause d'insertion",
)
async def creer_clause(
    saisie: ClauseSaisie, u: UtilisateurApi, session: SessionDep, request: Request
) -> ClauseVue:
    gestionnaire(u)
    try:
        gerer(u, clauses.bassin_saisi(saisie))
        row = await clauses.creer(session, saisie, u.id)
    except EmployeurRefuse as err:
        raise refus(err) from None
    await journaliser(session, u, "ecriture", f"clause:{row.id}", "création", adresse(request))
    return await vue(session, row)


@router.get(
    "/{clause_id}", response_model=ClauseVue, responses=ERREURS, summary="Un marché et son bilan"
)
async def consulter_clause(
    clause_id: str, u: UtilisateurApi, session: SessionDep, request: Request
) -> ClauseVue:
    lire(u)
    row = await charger(session, clause_id)
    v = await vue(session, row)
    v.placements = await placements_visibles(session, u, row, adresse(request))
    await journaliser(session, u, "lecture", f"clause:{row.id}", "fiche", adresse(request))
    return v


@router.put(
    "/{clause_id}",
    response_model=ClauseVue,
    responses=ERREURS,
    summary="Modifier un marché (ce que la création accepte)",
    description=(
        "Par un chargé de relation entreprise du bassin du marché (et de son nouveau bassin "
        "s'il change de lieu) ou l'administration. 422 sur `debut` ou `fin` si la période ne "
        "contient plus le début d'un placement ; des heures exigées sous celles réalisées sont "
        "acceptées (la clause est dépassée). Le journal dit les champs changés, avant et après."
    ),
)
async def modifier_clause(
    clause_id: str,
    saisie: ClauseSaisie,
    u: UtilisateurApi,
    session: SessionDep,
    request: Request,
) -> ClauseVue:
    gestionnaire(u)
    row = await charger(session, clause_id)
    try:
        await modification(session, u, row, saisie, adresse(request))
    except EmployeurRefuse as err:
        raise refus(err) from None
    return await vue(session, row)


async def modification(
    session: AsyncSession,
    u: Utilisateur,
    row: ClauseSocialeRow,
    saisie: ClauseSaisie,
    ip: str | None,
) -> None:
    """The contract changed by whoever manages it, now and once moved (as an event's: 403
    otherwise); the audit says which fields moved, before and after."""
    gerer(u, row.bassin)
    gerer(u, clauses.bassin_saisi(saisie))
    changements = await clauses.modifier(session, row, saisie)
    detail = "modification : " + (" ; ".join(changements) or "rien de changé")
    await journaliser(session, u, "ecriture", f"clause:{row.id}", detail, ip)


@router.post(
    "/{clause_id}/placements",
    status_code=201,
    response_model=PlacementVue,
    responses=ERREURS,
    summary="Placer une personne sur le marché",
)
async def placer_sur_la_clause(
    clause_id: str,
    corps: PlacementSaisi,
    u: UtilisateurApi,
    session: SessionDep,
    request: Request,
) -> PlacementVue:
    lire(u)
    row = await charger(session, clause_id)
    parcours = await personne_a_placer(session, u, row, corps.parcours_id)
    try:
        placement = await clauses.placer(session, row, parcours, corps.debut, u.id)
    except EmployeurRefuse as err:
        raise refus(err) from None
    detail = f"placement clause:{row.id}"
    await journaliser(session, u, "ecriture", f"parcours:{parcours.id}", detail, adresse(request))
    return vue_placement(placement, parcours)


@router.put(
    "/{clause_id}/placements/{placement_id}",
    response_model=PlacementVue,
    responses=ERREURS,
    summary="Saisir les heures réalisées (total à ce jour)",
)
async def saisir_les_heures(
    clause_id: str,
    placement_id: str,
    corps: HeuresSaisies,
    u: UtilisateurApi,
    session: SessionDep,
    request: Request,
) -> PlacementVue:
    lire(u)
    row = await charger(session, clause_id)
    placement, parcours = await placement_a_saisir(session, u, row, placement_id)
    placement = await clauses.saisir_heures(session, placement, corps.heures_realisees)
    detail = f"heures clause:{row.id}"
    await journaliser(session, u, "ecriture", f"parcours:{parcours.id}", detail, adresse(request))
    return vue_placement(placement, parcours)


@router.delete(
    "/{clause_id}/placements/{placement_id}",
    status_code=204,
    responses=ERREURS,
    summary="Retirer un placement fait par erreur",
    description=(
        "Par le référent de la personne ou un chargé du territoire du marché. Un placement dont "
        "des heures sont déclarées est refusé (409 `heures_declarees`) : elles comptent au bilan "
        "et à l'observatoire ; remises à 0 (PUT) si elles étaient une erreur, il peut être retiré."
    ),
)
async def retirer_le_placement(
    clause_id: str,
    placement_id: str,
    u: UtilisateurApi,
    session: SessionDep,
    request: Request,
) -> Response:
    lire(u)
    row = await charger(session, clause_id)
    placement, parcours = await placement_a_saisir(session, u, row, placement_id)
    try:
        await retrait(session, u, row, placement, parcours, adresse(request))
    except EmployeurRefuse as err:
        raise refus(err) from None
    return Response(status_code=204)


async def retrait(
    session: AsyncSession,
    u: Utilisateur,
    row: ClauseSocialeRow,
    placement: PlacementClauseRow,
    parcours: ParcoursRow,
    ip: str | None,
) -> None:
    await clauses.retirer(session, placement)
    detail = f"retrait placement clause:{row.id}"
    await journaliser(session, u, "ecriture", f"parcours:{parcours.id}", detail, ip)
