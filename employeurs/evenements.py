"""Job datings and information sessions (issue 24, item 5): a chargé de relation entreprise
sets the date, the place (its bassin), the companies of the directory and the offers shown;
référents invite people of their parcours, then record whether they came and what followed.
The rows are in store/evenements_employeurs.py; who may do what is told by the routes."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from employeurs.annuaire import EmployeurRefuse, maintenant
from employeurs.lieux import lieu, refus_champ
from employeurs.une_fois import ajouter_une_fois
from schemas.common import Territoire
from schemas.erreurs import CodeErreur
from schemas.evenement_employeur import EvenementSaisi, Presence, SuiteEvenement, SuiteInvitation
from store.db import ecriture
from store.employeurs import EntrepriseRow, OffreRow
from store.evenements_employeurs import EvenementEmployeurRow, InvitationEvenementRow
from store.parcours import ParcoursRow

DEJA_INVITEE = "Personne déjà invitée à cet événement"


async def _verifier(session: AsyncSession, saisie: EvenementSaisi) -> None:
    """Companies of the directory and known offers only: the 422 names the field."""
    for siret in saisie.entreprises:
        if await session.get(EntrepriseRow, siret) is None:
            raise refus_champ("entreprises", f"Entreprise absente de l'annuaire : {siret}")
    for offre_id in saisie.offres:
        if await session.get(OffreRow, offre_id) is None:
            raise refus_champ("offres", f"Offre inconnue : {offre_id}")


def _remplir(row: EvenementEmployeurRow, saisie: EvenementSaisi) -> None:
    ou = lieu(saisie.code_postal, saisie.commune)
    for nom, valeur in saisie.model_dump(exclude={"nature", "commune"}).items():
        setattr(row, nom, valeur)
    row.nature = saisie.nature.value
    row.commune, row.commune_insee, row.bassin = ou.commune, ou.commune_insee, ou.bassin
    row.mis_a_jour = maintenant()


def bassin_saisi(saisie: EvenementSaisi) -> str:
    """The bassin the event would be in (checked before any write)."""
    return lieu(saisie.code_postal, saisie.commune).bassin


async def creer(session: AsyncSession, saisie: EvenementSaisi, par: str) -> EvenementEmployeurRow:
    await _verifier(session, saisie)
    instant = maintenant()
    row = EvenementEmployeurRow(
        id=str(uuid.uuid4()),
        nature=saisie.nature.value,
        titre=saisie.titre,
        le=saisie.le,
        code_postal=saisie.code_postal,
        commune=saisie.commune,
        bassin="",
        cree_par=par,
        cree_le=instant,
        mis_a_jour=instant,
    )
    _remplir(row, saisie)
    await ecriture(session)
    session.add(row)
    await session.commit()
    return row


async def modifier(
    session: AsyncSession, row: EvenementEmployeurRow, saisie: EvenementSaisi
) -> EvenementEmployeurRow:
    await _verifier(session, saisie)
    _remplir(row, saisie)
    await ecriture(session)
    session.add(row)
    await session.commit()
    return row


async def charger(session: AsyncSession, evenement_id: str) -> EvenementEmployeurRow:
    row = await session.get(EvenementEmployeurRow, evenement_id)
    if row is None:
        raise EmployeurRefuse(404, "Événement introuvable", "evenement_inconnu")
    return row


async def lister(
    session: AsyncSession, bassin: Territoire | None = None, depuis: date | None = None
) -> list[EvenementEmployeurRow]:
    requete = select(EvenementEmployeurRow)
    if bassin is not None:
        requete = requete.where(EvenementEmployeurRow.bassin == bassin.value)
    if depuis is not None:
        requete = requete.where(col(EvenementEmployeurRow.le) >= depuis)
    return list((await session.exec(requete.order_by(col(EvenementEmployeurRow.le)))).all())


async def inviter(
    session: AsyncSession, evenement: EvenementEmployeurRow, parcours: ParcoursRow, par: str
) -> InvitationEvenementRow:
    """Once per person and event; not a closed parcours (its person is no longer accompanied)."""
    if parcours.clos_le is not None:
        raise EmployeurRefuse(
            409, "Le parcours de cette personne est clos", CodeErreur.PARCOURS_CLOS
        )
    # checked in the write transaction; two requests at once: the unique constraint
    await ecriture(session)
    deja = select(InvitationEvenementRow).where(
        InvitationEvenementRow.evenement_id == evenement.id,
        InvitationEvenementRow.parcours_id == parcours.id,
    )
    if (await session.exec(deja)).first() is not None:
        raise EmployeurRefuse(409, DEJA_INVITEE, "deja_invitee")
    instant = maintenant()
    row = InvitationEvenementRow(
        id=str(uuid.uuid4()),
        evenement_id=evenement.id,
        parcours_id=parcours.id,
        invite_par=par,
        cree_le=instant,
        mis_a_jour=instant,
    )
    await ajouter_une_fois(session, row, DEJA_INVITEE, "deja_invitee")
    return row


async def invitations(
    session: AsyncSession, evenement_id: str, referent_id: str | None = None
) -> list[tuple[InvitationEvenementRow, ParcoursRow]]:
    """The people invited (with their parcours, never an anonymised one); only those a référent
    accompanies when ``referent_id`` is given."""
    requete = (
        select(InvitationEvenementRow, ParcoursRow)
        .join(ParcoursRow, col(ParcoursRow.id) == col(InvitationEvenementRow.parcours_id))
        .where(
            InvitationEvenementRow.evenement_id == evenement_id,
            col(ParcoursRow.anonymise).is_(False),
        )
    )
    if referent_id is not None:
        requete = requete.where(ParcoursRow.referent_id == referent_id)
    lignes = await session.exec(requete.order_by(col(ParcoursRow.nom), col(ParcoursRow.prenom)))
    return [(i, p) for i, p in lignes.all()]


async def charger_invitation(
    session: AsyncSession, evenement_id: str, invitation_id: str
) -> InvitationEvenementRow:
    row = await session.get(InvitationEvenementRow, invitation_id)
    if row is None or row.evenement_id != evenement_id or row.parcours_id is None:
        raise EmployeurRefuse(404, "Invitation introuvable", "invitation_inconnue")
    return row


async def noter(
    session: AsyncSession,
    evenement: EvenementEmployeurRow,
    row: InvitationEvenementRow,
    suite: SuiteInvitation,
    jour: date,
) -> InvitationEvenementRow:
    await noter_tous(session, evenement, [(row, suite)], jour)
    return row


async def noter_tous(
    session: AsyncSession,
    evenement: EvenementEmployeurRow,
    notes: list[tuple[InvitationEvenementRow, SuiteInvitation]],
    jour: date,
) -> None:
    """Presence and outcome of each person, all at once (one form, one transaction), once the
    event has taken place (before, there is nothing to note: a conflict with the event's
    state, not a typing error)."""
    if evenement.le > jour:
        raise EmployeurRefuse(
            409, "L'événement n'a pas encore eu lieu : la présence se note ensuite", "a_venir"
        )
    await ecriture(session)
    instant = maintenant()
    for row, suite in notes:
        row.presence = suite.presence.value
        row.suite = suite.suite.value if suite.suite else None
        row.mis_a_jour = instant
        session.add(row)
    await session.commit()


async def toutes_les_invitations(
    session: AsyncSession, evenement_id: str
) -> list[InvitationEvenementRow]:
    requete = select(InvitationEvenementRow).where(
        InvitationEvenementRow.evenement_id == evenement_id
    )
    return list((await session.exec(requete)).all())


@dataclass(frozen=True)
class Bilan:
    """What came of an event, counted over everyone invited (anonymised people included: their
    presence and outcome stay, nobody is named)."""

    invitees: int
    presences: dict[str, int]  # by Presence value, each value present (0 included)
    non_notees: int
    suites: dict[str, int]  # by SuiteEvenement value, each value present (0 included)


def bilan(invitations: list[InvitationEvenementRow]) -> Bilan:
    presences = Counter(i.presence for i in invitations if i.presence)
    suites = Counter(i.suite for i in invitations if i.suite)
    return Bilan(
        invitees=len(invitations),
        presences={p.value: presences[p.value] for p in Presence},
        non_notees=sum(1 for i in invitations if not i.presence),
        suites={s.value: suites[s.value] for s in SuiteEvenement},
    )
