"""JSON API of the pool of people ready to work (issue 24): the référent records the person's
fiche; a chargé de relation entreprise of the offer's territory reads, for an offer, the
people who consented and fit, with the reasons. Every person shown is an audited read."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from employeurs import offres, vivier
from employeurs.annuaire import EmployeurRefuse
from schemas.common import Role
from schemas.employeur import FicheVivier
from store.parcours import ParcoursRow
from web.api.employeurs import ERREURS, autoriser, refus
from web.deps import SessionDep, UtilisateurApi, adresse
from web.erreurs import Refus
from web.securite.audit import journaliser

router = APIRouter(tags=["Employeurs"])


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


@router.put(
    "/api/v1/parcours/{parcours_id}/vivier",
    response_model=FicheVue,
    responses=ERREURS,
    summary="Inscrire la personne au vivier (ou retirer son consentement)",
)
async def inscrire(
    parcours_id: str, fiche: FicheVivier, u: UtilisateurApi, session: SessionDep, request: Request
) -> FicheVue:
    row = await session.get(ParcoursRow, parcours_id)
    sien = row is not None and (u.est_admin or (u.est_referent and row.referent_id == u.id))
    if row is None or not sien or row.anonymise:
        if u.role in (Role.PARTENAIRE, Role.USAGER):
            raise Refus(403, "Action non autorisée", "interdit")
        raise Refus(404, "Parcours introuvable", "parcours_inconnu")
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
async def rapprochement(
    offre_id: str, u: UtilisateurApi, session: SessionDep, request: Request
) -> list[PersonneProposable]:
    autoriser(u)
    try:
        offre = await offres.charger(session, offre_id)
    except EmployeurRefuse as err:
        raise refus(err) from None
    territoire = offre.bassin if u.est_admin else (u.territoire and u.territoire.value)
    if territoire is None or territoire != offre.bassin:
        raise Refus(
            403,
            "Le vivier d'un territoire est vu par ses chargés de relation entreprise",
            "interdit",
        )
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
        )
        for r, p in trouves
    ]
