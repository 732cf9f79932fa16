"""Agendas: places (a small referential per structure), opening slots and leave of each
référent, and the appointments booked in them.

Booking is race-safe by a primary key, not by a check then a write: every quarter of an hour
an appointment covers is a row of ``creneau_pris`` keyed by (référent, instant). Two people
taking the last free slot at once both insert the same key; the database lets one commit and
refuses the other (SQLite serialises writers, PostgreSQL's unique index waits then refuses).
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class LieuRow(SQLModel, table=True):
    """Where people are received. Owned by a structure (or, for an account without one, by
    its organisme on its territory: ``organisme/territoire``)."""

    __tablename__ = "lieu"

    id: str = Field(primary_key=True)
    proprietaire: str = Field(index=True, description="Structure, ou organisme/territoire")
    nom: str
    adresse: str
    code_postal: str
    commune: str
    acces: str = ""
    cree_le: datetime


class PlageRow(SQLModel, table=True):
    """An opening slot repeated every week on one weekday."""

    __tablename__ = "plage_ouverture"

    id: str = Field(primary_key=True)
    compte_id: str = Field(index=True, foreign_key="compte.id")
    jour: int = Field(description="0 = lundi … 5 = samedi")
    debut: time
    fin: time
    modalite: str
    lieu_id: str | None = Field(default=None, foreign_key="lieu.id")
    motifs: list[str] = Field(sa_column=Column(JSON, nullable=False))
    du: date
    au: date | None = None
    cree_le: datetime
    retiree_le: datetime | None = Field(default=None, description="Plus proposée depuis")


class AbsenceRow(SQLModel, table=True):
    """Leave of a référent: no slot offered from ``du`` to ``au`` (both included)."""

    __tablename__ = "absence_agenda"

    id: str = Field(primary_key=True)
    compte_id: str = Field(index=True, foreign_key="compte.id")
    du: date
    au: date
    motif: str
    cree_le: datetime


class ReservationRow(SQLModel, table=True):
    """An appointment booked in a référent's agenda (by the person, or convoked)."""

    __tablename__ = "reservation_rdv"

    id: str = Field(primary_key=True)
    compte_id: str = Field(index=True, foreign_key="compte.id")
    parcours_id: str = Field(index=True, description="La personne reçue (anonymisation)")
    motif: str
    debut: datetime = Field(index=True)
    fin: datetime
    modalite: str
    lieu_id: str | None = Field(default=None, foreign_key="lieu.id")
    plage_id: str = Field(foreign_key="plage_ouverture.id")
    cree_le: datetime
    annulee_le: datetime | None = None


class CreneauPrisRow(SQLModel, table=True):
    """One quarter of an hour of a référent taken by a booking: the key that makes two
    bookings of the same time impossible."""

    __tablename__ = "creneau_pris"

    compte_id: str = Field(primary_key=True, foreign_key="compte.id")
    debut: datetime = Field(primary_key=True, description="Début du quart d'heure, en UTC")
    reservation_id: str = Field(index=True, foreign_key="reservation_rdv.id")


class InvitationRow(SQLModel, table=True):
    """A booking link sent to a person (read model, written by the projection): only the
    SHA-256 of its secret, the parcours and what the page needs to offer slots."""

    __tablename__ = "invitation_rdv"

    empreinte: str = Field(primary_key=True)
    parcours_id: str = Field(index=True, foreign_key="parcours.id")
    invitation_id: str
    referent_id: str
    motif: str
    expire_le: date
    # Once a slot is taken, the link manages that booking (move, cancel) instead.
    reservation_id: str | None = None
