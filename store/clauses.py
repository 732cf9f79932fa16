"""Public contracts with a social insertion clause (issue 24, item 6). Written by
employeurs/clauses.py only.

A placement names a person (their parcours): personal data. The anonymisation of the parcours
(activities/retention.py) detaches it (``parcours_id`` emptied) and keeps its hours, so that
the contract's report (hours required, done, people) stays right and says nobody."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class ClauseSocialeRow(SQLModel, table=True):
    __tablename__ = "clause_sociale"

    id: str = Field(primary_key=True)
    intitule: str
    acheteur: str
    siret: str = Field(index=True, foreign_key="entreprise.siret")  # the holder company
    code_postal: str
    commune: str
    commune_insee: str | None = None
    bassin: str = Field(index=True)  # where the contract is carried out
    heures_exigees: int
    debut: date
    fin: date
    cree_par: str
    cree_le: datetime
    mis_a_jour: datetime


class PlacementClauseRow(SQLModel, table=True):
    __tablename__ = "placement_clause"
    __table_args__ = (UniqueConstraint("clause_id", "parcours_id"),)

    id: str = Field(primary_key=True)
    clause_id: str = Field(index=True, foreign_key="clause_sociale.id")
    # None once the parcours is anonymised: the hours stay in the report, nobody's
    parcours_id: str | None = Field(default=None, index=True, foreign_key="parcours.id")
    debut: date
    heures_realisees: float = 0
    place_par: str
    cree_le: datetime
    mis_a_jour: datetime
