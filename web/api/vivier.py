"""JSON API of the pool of people ready to work (issue 24): the référent records the person's
fiche; a chargé de relation entreprise of the offer's territory reads, for an offer, the
people who consented and fit, with the reasons. Every person shown is an audited read."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlmodel.ext.asyncio.session import AsyncSession

from employeurs import offres, propositions, vivier
from employeurs.annuaire import EmployeurRefuse
from schemas.common import Role
from schemas.emploi import DeclarationEmbauche
from schemas.employeur import (
    FicheVivier,
    PropositionSaisie,
    StatutProposition,
    SuiteProposition,
)
from schemas.erreurs import CodeErreur
from services.audit import journaliser
from services.parcours_client import ParcoursClient
from services.utilisateur import Utilisateur
from store.employeurs import OffreRow, PropositionRow
from store.parcours import ParcoursRow
from web.api.employeurs import ERREURS, autoriser, refus
from web.deps import ParcoursDep, SessionDep, UtilisateurApi, adresse
from web.erreurs import Refus

router = APIRouter(tags=["Employeurs"])


def accompagne(u: Utilisateur, row: ParcoursRow) -> bool:
    """The person asking is the parcours' référent (or the administration)."""
    return u.est_admin or (u.est_referent and row.referent_id == u.id)


async def parcours_du_referent(session: AsyncSession, u: Utilisateur, pid: str) -> ParcoursRow:
    """The parcours if the person asking is its référent (or the administration); else the
    answer about a parcours that does not exist."""
    row = await session.get(ParcoursRow, pid)
    if row is None or not accompagne(u, row) or row.anonymise:
        if u.role in (Role.PARTENAIRE, Role.USAGER):
            raise Refus(403, "Action non autorisée", "interdit")
        raise Refus(404, "Parcours introuvable", CodeErreur.PARCOURS_INCONNU)
    return row


def territoire_de_l_offre(u: Utilisateur, offre: OffreRow) -> str:
    territoire = offre.bassin if u.est_admin else (u.territoire and u.territoire.value)
    if territoire is None or territoire != offre.bassin:
        raise Refus(
            403,
            "Le vivier d'un territoire est vu par ses chargés de relation entreprise",
            "interdit",
        )
    return territoire


class FicheVue(FicheVivier):
    parcours_id: str
    commune: str


class PersonneProposable(BaseModel):
    parcours_id: str
    nom: str
    prenom: str
    commune: str
    referent_nom: str | None
    score: float
    raisons: list[str]
    disponible: bool = Field(
        description="Faux quand le dernier diagnostic dit « pas disponible pour l'instant » : "
        "la personne vient alors après toutes les autres, quel que soit son score"
    )


@router.put(
    "/api/v1/parcours/{parcours_id}/vivier",
    response_model=FicheVue,
    responses=ERREURS,
    summary="Inscrire la personne au vivier (ou retirer son consentement)",
)
async def inscrire_au_vivier(
    parcours_id: str, fiche: FicheVivier, u: UtilisateurApi, session: SessionDep, request: Request
) -> FicheVue:
    row = await parcours_du_referent(session, u, parcours_id)
    inscrite = await vivier.inscrire(session, row, fiche)
    detail = "vivier : " + ("consentement" if fiche.consentement else "sans consentement")
    await journaliser(session, u, "ecriture", f"parcours:{row.id}", detail, adresse(request))
    return FicheVue(
        **fiche.model_dump(), parcours_id=inscrite.parcours_id, commune=inscrite.commune
    )


@router.get(
    "/api/v1/offres/{offre_id}/rapprochement",
    response_model=list[PersonneProposable],
    responses=ERREURS,
    summary="Les personnes du vivier à qui proposer l'offre, avec les raisons",
)
async def rapprocher_de_l_offre(
    offre_id: str, u: UtilisateurApi, session: SessionDep, request: Request
) -> list[PersonneProposable]:
    autoriser(u)
    try:
        offre = await offres.charger(session, offre_id)
    except EmployeurRefuse as err:
        raise refus(err) from None
    territoire = territoire_de_l_offre(u, offre)
    trouves = await vivier.pour_une_offre(session, offre, territoire)
    for _, p in trouves:
        detail = f"rapprochement offre:{offre.id}"
        await journaliser(session, u, "lecture", f"parcours:{p.id}", detail, adresse(request))
    return [
        PersonneProposable(
            parcours_id=p.id,
            nom=p.nom,
            prenom=p.prenom,
            commune=p.commune,
            referent_nom=p.referent_nom,
            score=r.score,
            raisons=list(r.raisons),
            disponible=r.disponible,
        )
        for r, p in trouves
    ]


class PropositionVue(BaseModel):
    id: str
    offre_id: str
    parcours_id: str
    intitule: str
    entreprise: str
    commune: str
    statut: str
    statut_libelle: str
    raisons: list[str]


async def vue_proposition(session: AsyncSession, row: PropositionRow) -> PropositionVue:
    offre = await session.get(OffreRow, row.offre_id)
    entreprise = await offres_entreprise(session, offre)
    return PropositionVue(
        id=row.id,
        offre_id=row.offre_id,
        parcours_id=row.parcours_id,
        intitule=offre.intitule if offre else "",
        entreprise=entreprise,
        commune=offre.commune if offre else "",
        statut=row.statut,
        statut_libelle=StatutProposition(row.statut).label,
        raisons=row.raisons,
    )


async def offres_entreprise(session: AsyncSession, offre: OffreRow | None) -> str:
    if offre is None:
        return ""
    return offres.nom_entreprise(offre, await offres.entreprise_de(session, offre))


@router.post(
    "/api/v1/offres/{offre_id}/propositions",
    status_code=201,
    response_model=PropositionVue,
    responses=ERREURS,
    summary="Proposer l'offre à une personne du vivier (transmise à son référent)",
)
async def proposer_l_offre(
    offre_id: str,
    corps: PropositionSaisie,
    u: UtilisateurApi,
    session: SessionDep,
    request: Request,
) -> PropositionVue:
    autoriser(u)
    try:
        offre = await offres.charger(session, offre_id)
        territoire = territoire_de_l_offre(u, offre)
        row = await propositions.proposer(session, offre, corps.parcours_id, territoire, u.id)
    except EmployeurRefuse as err:
        raise refus(err) from None
    detail = f"proposition offre:{offre.id}"
    await journaliser(
        session, u, "ecriture", f"parcours:{row.parcours_id}", detail, adresse(request)
    )
    return await vue_proposition(session, row)


@router.get(
    "/api/v1/parcours/{parcours_id}/propositions",
    response_model=list[PropositionVue],
    responses=ERREURS,
    summary="Les offres proposées à la personne",
)
async def propositions_du_parcours(
    parcours_id: str, u: UtilisateurApi, session: SessionDep
) -> list[PropositionVue]:
    row = await parcours_du_referent(session, u, parcours_id)
    return [
        await vue_proposition(session, p) for p in await propositions.du_parcours(session, row.id)
    ]


async def proposition_du_referent(
    session: AsyncSession, u: Utilisateur, proposition_id: str
) -> PropositionRow:
    """The proposition if the person asking is the référent of its parcours; otherwise the
    same answer as for a proposition that does not exist."""
    try:
        row = await propositions.charger(session, proposition_id)
        await parcours_du_referent(session, u, row.parcours_id)
    except EmployeurRefuse as err:
        raise refus(err) from None
    except Refus as err:
        if err.status != 404:
            raise
        raise refus(
            EmployeurRefuse(404, "Proposition introuvable", "proposition_inconnue")
        ) from None
    return row


async def noter_la_suite(
    session: AsyncSession,
    parcours: ParcoursClient,
    u: Utilisateur,
    row: PropositionRow,
    suite: SuiteProposition,
) -> PropositionRow:
    """The hiring enters the parcours as the référent would declare it (suivi dans l'emploi)."""

    async def declarer(declaration: DeclarationEmbauche) -> object:
        return await parcours.commander(row.parcours_id, "declarer_embauche", declaration, u.acteur)

    try:
        return await propositions.noter_la_suite(session, row, suite, declarer)
    except EmployeurRefuse as err:
        raise refus(err) from None


@router.put(
    "/api/v1/propositions/{proposition_id}",
    response_model=PropositionVue,
    responses=ERREURS,
    summary="Ce qu'il est advenu de la proposition (« embauchée » déclare l'embauche)",
)
async def suivre_la_proposition(
    proposition_id: str,
    suite: SuiteProposition,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
    request: Request,
) -> PropositionVue:
    row = await proposition_du_referent(session, u, proposition_id)
    row = await noter_la_suite(session, parcours, u, row, suite)
    detail = f"proposition {suite.statut.value}"
    await journaliser(
        session, u, "ecriture", f"parcours:{row.parcours_id}", detail, adresse(request)
    )
    return await vue_proposition(session, row)
