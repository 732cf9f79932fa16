"""JSON API of the events with employers (issue 24, item 5): job datings and information
sessions created by the chargés de relation entreprise of the territory; référents invite the
people they accompany and record presence and outcome. Every write, every event read and
every person shown is in the audit log."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from employeurs import evenements
from employeurs.annuaire import EmployeurRefuse
from schemas.common import Territoire
from schemas.evenement_employeur import (
    EvenementSaisi,
    InvitationSaisie,
    NatureEvenement,
    Presence,
    SuiteEvenement,
    SuiteInvitation,
)
from services.audit import journaliser
from services.utilisateur import Utilisateur
from store.employeurs import EntrepriseRow, OffreRow
from store.evenements_employeurs import EvenementEmployeurRow, InvitationEvenementRow
from store.parcours import ParcoursRow
from web.api.employeurs import ERREURS, refus
from web.api.relation_entreprise import gerer, gestionnaire, lire, personnes_visibles
from web.api.vivier import parcours_du_referent
from web.deps import SessionDep, UtilisateurApi, adresse, aujourd_hui
from web.erreurs import Refus

router = APIRouter(prefix="/api/v1/evenements-employeurs", tags=["Employeurs"])


class EntrepriseCitee(BaseModel):
    siret: str
    nom: str


class OffreCitee(BaseModel):
    id: str
    intitule: str
    siret: str | None  # None: an offer of France Travail whose company is not identified


class InviteVue(BaseModel):
    id: str
    parcours_id: str
    nom: str
    prenom: str
    referent_nom: str | None
    presence: str | None
    presence_libelle: str | None
    suite: str | None
    suite_libelle: str | None


class BilanVue(BaseModel):
    """Counted over everyone invited, whoever reads: nobody is named."""

    invitees: int
    presences: dict[str, int]  # by presence (presente, absente, excusee)
    non_notees: int
    suites: dict[str, int]  # by outcome (aucune, entretien, pmsmp, formation, embauche)


class EvenementVue(BaseModel):
    id: str
    nature: str
    nature_libelle: str
    titre: str
    le: date
    horaire: str | None
    adresse: str | None
    code_postal: str
    commune: str
    bassin: str
    bassin_libelle: str
    description: str | None
    entreprises: list[EntrepriseCitee]
    offres: list[OffreCitee]
    bilan: BilanVue
    invites: list[InviteVue] | None = None  # on the event's own page, those the reader sees


async def vue(session: AsyncSession, row: EvenementEmployeurRow) -> EvenementVue:
    entreprises = [
        EntrepriseCitee(siret=s, nom=e.nom if (e := await session.get(EntrepriseRow, s)) else s)
        for s in row.entreprises
    ]
    offres = [
        OffreCitee(id=o.id, intitule=o.intitule, siret=o.siret)
        for i in row.offres
        if (o := await session.get(OffreRow, i)) is not None
    ]
    return EvenementVue(
        **row.model_dump(
            include={
                "id",
                "nature",
                "titre",
                "le",
                "horaire",
                "adresse",
                "code_postal",
                "commune",
                "bassin",
                "description",
            }
        ),
        nature_libelle=NatureEvenement(row.nature).label,
        bassin_libelle=Territoire(row.bassin).label,
        entreprises=entreprises,
        offres=offres,
        bilan=BilanVue(
            **evenements.bilan(await evenements.toutes_les_invitations(session, row.id)).__dict__
        ),
    )


def vue_invite(i: InvitationEvenementRow, p: ParcoursRow) -> InviteVue:
    return InviteVue(
        id=i.id,
        parcours_id=p.id,
        nom=p.nom,
        prenom=p.prenom,
        referent_nom=p.referent_nom,
        presence=i.presence,
        presence_libelle=Presence(i.presence).label if i.presence else None,
        suite=i.suite,
        suite_libelle=SuiteEvenement(i.suite).label if i.suite else None,
    )


async def invites_et_parcours(
    session: AsyncSession, u: Utilisateur, row: EvenementEmployeurRow, ip: str | None
) -> list[tuple[InviteVue, ParcoursRow]]:
    """The people the reader may see, each an audited read of their parcours."""
    qui = personnes_visibles(u, row.bassin)
    if qui is False:
        return []
    lignes = await evenements.invitations(session, row.id, None if qui is True else str(qui))
    for _, p in lignes:
        detail = f"invitation evenement_employeur:{row.id}"
        await journaliser(session, u, "lecture", f"parcours:{p.id}", detail, ip)
    return [(vue_invite(i, p), p) for i, p in lignes]


async def invites(
    session: AsyncSession, u: Utilisateur, row: EvenementEmployeurRow, ip: str | None
) -> list[InviteVue]:
    return [v for v, _ in await invites_et_parcours(session, u, row, ip)]


async def invitation_du_referent(
    session: AsyncSession, u: Utilisateur, row: EvenementEmployeurRow, invitation_id: str
) -> tuple[InvitationEvenementRow, ParcoursRow]:
    """An invitation whose presence this person may note: of a person they accompany (or the
    administration); any other is the answer about an invitation that does not exist."""
    try:
        invitation = await evenements.charger_invitation(session, row.id, invitation_id)
        parcours = await parcours_du_referent(session, u, str(invitation.parcours_id))
    except EmployeurRefuse as err:
        raise refus(err) from None
    except Refus as err:  # not theirs: the same answer as for an invitation that does not exist
        if err.status != 404:
            raise
        raise refus(EmployeurRefuse(404, "Invitation introuvable", "invitation_inconnue")) from None
    return invitation, parcours


async def _charger(session: AsyncSession, evenement_id: str) -> EvenementEmployeurRow:
    try:
        return await evenements.charger(session, evenement_id)
    except EmployeurRefuse as err:
        raise refus(err) from None


@router.get("", response_model=list[EvenementVue], responses=ERREURS, summary="Événements")
async def lister_evenements(
    u: UtilisateurApi,
    session: SessionDep,
    bassin: Territoire | None = None,
    depuis: date | None = None,
) -> list[EvenementVue]:
    lire(u)
    return [await vue(session, r) for r in await evenements.lister(session, bassin, depuis)]


@router.post(
    "",
    status_code=201,
    response_model=EvenementVue,
    responses=ERREURS,
    summary="Créer un job dating ou une réunion d'information",
)
async def creer_evenement(
    saisie: EvenementSaisi, u: UtilisateurApi, session: SessionDep, request: Request
) -> EvenementVue:
    gestionnaire(u)
    try:
        gerer(u, evenements.bassin_saisi(saisie))
        row = await evenements.creer(session, saisie, u.id)
    except EmployeurRefuse as err:
        raise refus(err) from None
    objet = f"evenement_employeur:{row.id}"
    await journaliser(session, u, "ecriture", objet, "création", adresse(request))
    return await vue(session, row)


@router.get(
    "/{evenement_id}", response_model=EvenementVue, responses=ERREURS, summary="Un événement"
)
async def consulter_evenement(
    evenement_id: str, u: UtilisateurApi, session: SessionDep, request: Request
) -> EvenementVue:
    lire(u)
    row = await _charger(session, evenement_id)
    v = await vue(session, row)
    v.invites = await invites(session, u, row, adresse(request))
    objet = f"evenement_employeur:{row.id}"
    await journaliser(session, u, "lecture", objet, "fiche", adresse(request))
    return v


@router.put("/{evenement_id}", response_model=EvenementVue, responses=ERREURS, summary="Modifier")
async def modifier_evenement(
    evenement_id: str,
    saisie: EvenementSaisi,
    u: UtilisateurApi,
    session: SessionDep,
    request: Request,
) -> EvenementVue:
    gestionnaire(u)
    row = await _charger(session, evenement_id)
    try:
        gerer(u, row.bassin)  # theirs now, and theirs once moved
        gerer(u, evenements.bassin_saisi(saisie))
        row = await evenements.modifier(session, row, saisie)
    except EmployeurRefuse as err:
        raise refus(err) from None
    objet = f"evenement_employeur:{row.id}"
    await journaliser(session, u, "ecriture", objet, "modification", adresse(request))
    return await vue(session, row)


@router.post(
    "/{evenement_id}/invitations",
    status_code=201,
    response_model=InviteVue,
    responses=ERREURS,
    summary="Inviter une personne que l'on accompagne",
)
async def inviter_a_l_evenement(
    evenement_id: str,
    corps: InvitationSaisie,
    u: UtilisateurApi,
    session: SessionDep,
    request: Request,
) -> InviteVue:
    lire(u)
    row = await _charger(session, evenement_id)
    parcours = await parcours_du_referent(session, u, corps.parcours_id)
    try:
        invitation = await evenements.inviter(session, row, parcours, u.id)
    except EmployeurRefuse as err:
        raise refus(err) from None
    detail = f"invitation evenement_employeur:{row.id}"
    await journaliser(session, u, "ecriture", f"parcours:{parcours.id}", detail, adresse(request))
    return vue_invite(invitation, parcours)


@router.put(
    "/{evenement_id}/invitations/{invitation_id}",
    response_model=InviteVue,
    responses=ERREURS,
    summary="Noter la présence et la suite",
)
async def noter_la_presence(
    evenement_id: str,
    invitation_id: str,
    corps: SuiteInvitation,
    u: UtilisateurApi,
    session: SessionDep,
    request: Request,
) -> InviteVue:
    lire(u)
    row = await _charger(session, evenement_id)
    invitation, parcours = await invitation_du_referent(session, u, row, invitation_id)
    try:
        invitation = await evenements.noter(session, row, invitation, corps, aujourd_hui())
    except EmployeurRefuse as err:
        raise refus(err) from None
    detail = f"présence evenement_employeur:{row.id}"
    await journaliser(session, u, "ecriture", f"parcours:{parcours.id}", detail, adresse(request))
    return vue_invite(invitation, parcours)
