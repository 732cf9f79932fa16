"""The « à rapprocher » queue: events no open parcours could claim, waiting for a person.

Attaching one to a parcours records the partner's identifier on it (so the next events find
it alone) and delivers the event. Service functions shared by the API and the cockpit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.francais import un
from partenaires.livraison import livrer, utc
from partenaires.routage import parcours_ouverts
from schemas.common import Model, Role
from schemas.erreurs import CodeErreur
from schemas.evenements import CATALOGUE
from schemas.incident import Partenaire
from schemas.parcours import ParcoursState
from schemas.usager import IdentifiantsPartenaires
from services import parcours as service
from services.audit import journaliser
from services.parcours_client import CommandeImpossible, ParcoursClient
from services.utilisateur import Utilisateur
from store.db import ecriture
from store.evenements_partenaires import EvenementRecu, StatutReception
from web.erreurs import Refus
from workflows.transitions import TRANSITIONS, qualites

MODIFIER = "modifier_identifiants"


class EvenementVue(BaseModel):
    partenaire: str
    partenaire_libelle: str
    id: str
    type: str
    libelle: str
    cle: str = Field(description="Nature de l'identifiant porté par `sujet`")
    cle_libelle: str
    sujet: str
    survenu_le: datetime
    recu_le: datetime
    data: dict[str, Any]
    statut: str
    statut_libelle: str
    motif: str | None
    parcours_id: str | None
    livre_le: datetime | None
    rattache_par: str | None
    rattachable: bool = Field(description="L'identifiant peut être enregistré sur un parcours")

    @classmethod
    def depuis(cls, row: EvenementRecu) -> EvenementVue:
        d = CATALOGUE[row.type]
        return cls(
            partenaire=row.partenaire,
            partenaire_libelle=Partenaire(row.partenaire).label,
            id=row.id,
            type=row.type,
            libelle=d.libelle,
            cle=d.cle.value,
            cle_libelle=d.cle.label,
            sujet=row.sujet,
            survenu_le=utc(row.survenu_le),
            recu_le=utc(row.recu_le),
            data=row.data,
            statut=row.statut,
            statut_libelle=StatutReception(row.statut).label,
            motif=row.motif,
            parcours_id=row.parcours_id,
            livre_le=utc(row.livre_le) if row.livre_le else None,
            rattache_par=row.rattache_par,
            rattachable=d.cle.value in IdentifiantsPartenaires.model_fields,
        )


class PageARapprocher(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[EvenementVue]


class DemandeRattachement(Model):
    parcours_id: str = Field(min_length=1, max_length=80)


def _reservee_a_la_coordination(u: Utilisateur) -> None:
    if u.role not in (Role.COORDINATEUR, Role.ADMINISTRATEUR):
        raise Refus(
            403,
            "La file des événements à rapprocher est réservée aux coordinateurs et aux "
            "administrateurs",
            "interdit",
        )


async def file_a_rapprocher(
    session: AsyncSession, u: Utilisateur, *, limit: int = 50, offset: int = 0
) -> tuple[int, list[EvenementRecu]]:
    """Oldest first. Unmatched events belong to no territory yet: every coordinator sees them."""
    _reservee_a_la_coordination(u)
    attente = EvenementRecu.statut == StatutReception.A_RAPPROCHER.value
    total = (
        await session.exec(select(func.count()).select_from(EvenementRecu).where(attente))
    ).one()
    rows = await session.exec(
        select(EvenementRecu)
        .where(attente)
        .order_by(col(EvenementRecu.recu_le), col(EvenementRecu.id))
        .limit(limit)
        .offset(offset)
    )
    return int(total), list(rows.all())


async def _en_attente(session: AsyncSession, partenaire: str, evenement_id: str) -> EvenementRecu:
    """An event of the queue. One already destined to a parcours is no more in the queue, so
    no more visible here: the same answer as an id nobody sent, which says nothing of it."""
    row = await session.get(EvenementRecu, (partenaire, evenement_id))
    if row is None or row.statut != StatutReception.A_RAPPROCHER.value:
        raise Refus(
            404,
            "Événement introuvable dans la file à rapprocher (inconnu, ou déjà destiné à un "
            "parcours)",
            "evenement_inconnu",
        )
    return row


async def _parcours(parcours: ParcoursClient, u: Utilisateur, parcours_id: str) -> ParcoursState:
    """The parcours, if this person may act on it (404 when they may not even see it)."""
    try:
        state = await service.lire(parcours, u, parcours_id)
    except CommandeImpossible as err:
        raise Refus(err.status, err.message, err.code) from None
    if not qualites(u.acteur, state) & TRANSITIONS[MODIFIER].qui:
        raise Refus(
            403,
            "Seules la coordination du territoire du parcours et l'administration peuvent y "
            "rattacher un événement",
            "interdit",
        )
    if state.clos:
        raise Refus(
            409, "Le parcours est clos : il ne reçoit plus d'événements", CodeErreur.PARCOURS_CLOS
        )
    return state


async def _identifiants(
    session: AsyncSession, state: ParcoursState, row: EvenementRecu
) -> IdentifiantsPartenaires | None:
    """The parcours' identifiers with the event's one added; None when already there."""
    cle = CATALOGUE[row.type].cle
    if cle.value not in IdentifiantsPartenaires.model_fields:
        raise Refus(
            409,
            f"Un événement portant {un(cle.label)} ne se rattache pas : cet "
            "identifiant est attribué par la plateforme, vérifiez-le auprès du partenaire",
            "non_rattachable",
        )
    actuel = getattr(state.identifiants, cle.value)
    if actuel == row.sujet:
        return None
    if actuel is not None:
        raise Refus(
            409,
            f"Ce parcours a déjà un autre {cle.label} (« {actuel} ») : corrigez d'abord "
            "ses identifiants si l'événement le concerne bien",
            "identifiant_different",
        )
    if set(await parcours_ouverts(session, cle.value, row.sujet)) - {state.parcours_id}:
        raise Refus(
            409,
            f"Ce {cle.label} est déjà porté par un autre parcours ouvert : rattachez "
            "l'événement à celui-ci, ou corrigez d'abord ses identifiants",
            "identifiant_attribue",
        )
    try:
        return IdentifiantsPartenaires.model_validate(
            {**state.identifiants.model_dump(), cle.value: row.sujet}
        )
    except ValidationError:
        raise Refus(
            422, f"{cle.label} « {row.sujet} » mal formé", CodeErreur.DONNEES_INVALIDES
        ) from None


async def rattacher(
    session: AsyncSession,
    parcours: ParcoursClient,
    u: Utilisateur,
    partenaire: str,
    evenement_id: str,
    parcours_id: str,
    adresse: str | None,
) -> EvenementRecu:
    # Only who sees the queue attaches from it, and is told so before anything about the id:
    # a référent attaching an event by its id would pull someone else's events into their
    # parcours (issue 14, item 9).
    _reservee_a_la_coordination(u)
    # Each read transaction is closed before Temporal is called: on SQLite it holds the
    # write lock, which the parcours' projection needs meanwhile.
    row = await _en_attente(session, partenaire, evenement_id)
    await session.commit()
    state = await _parcours(parcours, u, parcours_id)
    nouveaux = await _identifiants(session, state, row)
    await session.commit()
    objet = f"parcours:{parcours_id}"
    if nouveaux is not None:
        try:
            await parcours.commander(parcours_id, MODIFIER, nouveaux, u.acteur)
        except CommandeImpossible as err:
            raise Refus(err.status, err.message, err.code) from None
        await journaliser(session, u, "ecriture", objet, MODIFIER, adresse)
    row.parcours_id, row.rattache_par = parcours_id, u.id
    row.statut = StatutReception.A_LIVRER.value
    await livrer(parcours, row)  # if Temporal fails now, the periodic redelivery finishes it
    await ecriture(session)
    session.add(row)
    await session.commit()
    detail = f"rattachement de l'événement {partenaire}/{evenement_id}"
    await journaliser(session, u, "ecriture", objet, detail, adresse)
    return row
