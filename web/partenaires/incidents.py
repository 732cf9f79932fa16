"""Incidents of partner calls, as the coordination sees them: the list within one's scope,
grouped by partner and error (an outage shows as one line), and the bulk retry after it.

Read from the read model; each retry goes through the parcours' own ``relancer_incident``
command, with the caller as its author.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import Request
from pydantic import BaseModel
from sqlalchemy import ColumnElement, distinct, func
from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.ids import reference
from partenaires.livraison import utc
from schemas.common import Model, Role, Territoire
from schemas.erreurs import CodeErreur
from schemas.incident import (
    INCIDENTS_ACTIFS,
    Partenaire,
    RelanceIncident,
    StatutIncident,
    TypeOperation,
)
from services.parcours_client import CommandeImpossible, ParcoursClient
from services.utilisateur import Utilisateur
from store.parcours import IncidentRow, ParcoursRow
from web.api.parcours.commandes import executer
from web.deps import aujourd_hui
from web.erreurs import Refus
from web.requetes import portee


class IncidentVue(BaseModel):
    id: str
    parcours_id: str
    reference: str
    territoire: str
    partenaire: str
    partenaire_libelle: str
    operation: str
    operation_libelle: str
    message: str
    definitif: bool
    tentatives: int
    premiere_erreur: datetime
    derniere_erreur: datetime
    statut: str
    statut_libelle: str
    resolution: str | None

    @classmethod
    def depuis(cls, row: IncidentRow) -> IncidentVue:
        return cls(
            **row.model_dump(exclude={"premiere_erreur", "derniere_erreur"}),
            reference=reference(row.parcours_id),
            partenaire_libelle=Partenaire(row.partenaire).label,
            operation_libelle=TypeOperation(row.operation).label,
            statut_libelle=StatutIncident(row.statut).label,
            premiere_erreur=utc(row.premiere_erreur),
            derniere_erreur=utc(row.derniere_erreur),
        )


class GroupeIncidents(BaseModel):
    """Incidents with the same partner and error message: usually one outage."""

    partenaire: str
    partenaire_libelle: str
    message: str
    incidents: int
    parcours: int
    premiere_erreur: datetime
    derniere_erreur: datetime


class PageIncidents(BaseModel):
    total: int
    limit: int
    offset: int
    incidents: list[IncidentVue]
    groupes: list[GroupeIncidents]


class DemandeRelance(Model):
    partenaire: Partenaire


class EchecRelance(BaseModel):
    parcours_id: str
    incident_id: str
    message: str


class ResultatRelance(BaseModel):
    relances: int
    echecs: list[EchecRelance]


@dataclass(frozen=True)
class FiltresIncidents:
    partenaire: Partenaire | None = None
    statut: StatutIncident | None = None  # None: the active ones (open, or being retried)
    territoire: Territoire | None = None

    def conditions(self, u: Utilisateur) -> list[ColumnElement[bool]]:
        if u.role == Role.COORDINATEUR and self.territoire not in (None, u.territoire):
            raise Refus(
                403,
                "Vous ne pouvez consulter que les incidents de votre territoire",
                CodeErreur.HORS_TERRITOIRE,
            )
        statuts = [self.statut] if self.statut else sorted(INCIDENTS_ACTIFS)
        c = [portee(u, aujourd_hui()), col(IncidentRow.statut).in_([s.value for s in statuts])]
        if self.partenaire:
            c.append(col(IncidentRow.partenaire) == self.partenaire.value)
        if self.territoire:
            c.append(col(IncidentRow.territoire) == self.territoire.value)
        return c


def _dans_la_portee(stmt: Any) -> Any:
    return stmt.join(ParcoursRow, col(ParcoursRow.id) == col(IncidentRow.parcours_id))


async def lister_incidents(
    session: AsyncSession,
    u: Utilisateur,
    f: FiltresIncidents,
    *,
    limit: int = 100,
    offset: int = 0,
) -> tuple[int, list[IncidentRow]]:
    """Oldest first failure first."""
    where = f.conditions(u)
    compte = _dans_la_portee(select(func.count()).select_from(IncidentRow)).where(*where)
    rows = await session.exec(
        _dans_la_portee(select(IncidentRow))
        .where(*where)
        .order_by(col(IncidentRow.premiere_erreur), col(IncidentRow.id))
        .limit(limit)
        .offset(offset)
    )
    return int((await session.exec(compte)).one()), list(rows.all())


async def grouper(
    session: AsyncSession, u: Utilisateur, f: FiltresIncidents
) -> list[GroupeIncidents]:
    partenaire, message = col(IncidentRow.partenaire), col(IncidentRow.message)
    premiere = func.min(IncidentRow.premiere_erreur)
    stmt = (
        _dans_la_portee(
            sa_select(
                partenaire,
                message,
                func.count(),
                func.count(distinct(col(IncidentRow.parcours_id))),
                premiere,
                func.max(IncidentRow.derniere_erreur),
            ).select_from(IncidentRow)
        )
        .where(*f.conditions(u))
        .group_by(partenaire, message)
        .order_by(premiere)
    )
    return [
        GroupeIncidents(
            partenaire=p,
            partenaire_libelle=Partenaire(p).label,
            message=m,
            incidents=n,
            parcours=np,
            premiere_erreur=utc(d1),
            derniere_erreur=utc(d2),
        )
        for p, m, n, np, d1, d2 in (await session.exec(stmt)).all()
    ]


async def incidents_groupes(
    session: AsyncSession,
    u: Utilisateur,
    *,
    partenaire: Partenaire | str | None = None,
    territoire: Territoire | str | None = None,
) -> list[GroupeIncidents]:
    """The active incidents within the person's scope, one line per partner and error."""
    f = FiltresIncidents(
        partenaire=Partenaire(partenaire) if partenaire else None,
        territoire=Territoire(territoire) if territoire else None,
    )
    return await grouper(session, u, f)


async def relancer_partenaire(
    session: AsyncSession,
    parcours: ParcoursClient,
    u: Utilisateur,
    partenaire: Partenaire | str,
    request: Request,
) -> ResultatRelance:
    """Retry every open incident of one partner within the caller's scope (after an outage).
    One refusal does not stop the others: it is reported with its reason."""
    f = FiltresIncidents(partenaire=Partenaire(partenaire), statut=StatutIncident.OUVERT)
    requete = _dans_la_portee(select(IncidentRow.parcours_id, IncidentRow.id)).where(
        *f.conditions(u)
    )
    if u.role == Role.REFERENT:
        # A référent reads the incidents of the parcours they follow as a team member or
        # followed before; retrying is for the parcours' own référent: only theirs are tried,
        # instead of reporting every other one as refused.
        requete = requete.where(col(ParcoursRow.referent_id) == u.id)
    cibles = (await session.exec(requete.order_by(col(IncidentRow.premiere_erreur)))).all()
    await session.commit()  # no transaction (SQLite write lock) held while Temporal works
    resultat = ResultatRelance(relances=0, echecs=[])
    for parcours_id, incident_id in cibles:
        relance = RelanceIncident(incident_id=incident_id)
        try:
            await executer("relancer_incident", parcours_id, relance, u, session, parcours, request)
        except (CommandeImpossible, Refus) as err:
            resultat.echecs.append(
                EchecRelance(parcours_id=parcours_id, incident_id=incident_id, message=err.message)
            )
            continue
        resultat.relances += 1
    return resultat
