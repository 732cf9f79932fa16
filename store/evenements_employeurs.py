"""Events with employers (issue 24, item 5). Written by employeurs/evenements.py only.

An invitation names a person (their parcours): personal data. The anonymisation of the
parcours (activities/retention.py) detaches it (``parcours_id`` emptied) and keeps the
presence and outcome, so that the event's figures stay right and say nobody."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class EvenementEmployeurRow(SQLModel, table=True):
    __tablename__ = "evenement_employeur"

    id: str = Field(primary_key=True)
    nature: str  # NatureEvenement
    titre: str
    le: date = Field(index=True)
    horaire: str | None = None
    adresse: str | None = None
    code_postal: str
    commune: str
    commune_insee: str | None = None
    bassin: str = Field(index=True)
    entreprises: list[str] = Field(default_factory=list, sa_column=Column(JSON))  # SIRET
    offres: list[str] = Field(default_factory=list, sa_column=Column(JSON))  # offre.id
    description: str | None = None
    cree_par: str
    cree_le: datetime
    mis_a_jour: datetime


class InvitationEvenementRow(SQLModel, table=True):
    __tablename__ = "invitation_evenement"
    __table_args__ = (UniqueConstraint("evenement_id", "parcours_id"),)

    id: str = Field(primary_key=True)
    evenement_id: str = Field(index=True, foreign_key="evenement_employeur.id")
    # None once the parcours is anonymised: the presence and outcome stay, nobody's
    parcours_id: str | None = Field(default=None, index=True, foreign_key="parcours.id")
    invite_par: str  # the référent's account
    presence: str | None = None  # Presence
    suite: str | None = None  # SuiteEvenement
    cree_le: datetime
    mis_a_jour: datetime
