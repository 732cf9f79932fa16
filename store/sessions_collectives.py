"""Collective sessions (information collective, issue 18 item 3): a session organised by a
référent for their structure, its registrations, and the seats they hold.

Registering is race-safe by a primary key, as booking a slot is (store.agendas): each seat of
a session is a row of ``place_session_collective`` keyed by (session, seat number from 1 to
the capacity). Two registrations for the last seat insert the same key; the database lets one
commit and refuses the other. The same table's unique (session, parcours) keeps a person to
one seat per session. A seat row is deleted when its registration is withdrawn.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class SessionCollectiveRow(SQLModel, table=True):
    """One collective session: who organises it, what, when, where, for how many."""

    __tablename__ = "session_collective"

    id: str = Field(primary_key=True)
    compte_id: str = Field(index=True, foreign_key="compte.id", description="L'organisateur")
    structure: str | None = Field(default=None, index=True, description="Sa structure")
    territoire: str = Field(index=True)
    motif: str
    titre: str
    debut: datetime = Field(index=True)
    fin: datetime
    lieu_id: str = Field(foreign_key="lieu.id")
    capacite: int
    animateur: str
    cree_le: datetime
    annulee_le: datetime | None = None


class InscriptionSessionRow(SQLModel, table=True):
    """A person registered to a session by their référent; the appointment it became in the
    parcours (``rdv_id``) and the attendance recorded for it."""

    __tablename__ = "inscription_session_collective"

    id: str = Field(primary_key=True)
    session_id: str = Field(index=True, foreign_key="session_collective.id")
    parcours_id: str = Field(index=True, description="La personne inscrite (anonymisation)")
    inscrite_par: str = Field(description="Compte du référent")
    rdv_id: str | None = None
    cree_le: datetime
    desinscrite_le: datetime | None = None
    presence: str | None = Field(default=None, description="honore, excuse ou non_honore")
    presence_notee_le: datetime | None = None


class PlaceSessionRow(SQLModel, table=True):
    """One seat of a session taken: the key that makes two registrations of the last seat, or
    two of the same person, impossible."""

    __tablename__ = "place_session_collective"
    __table_args__ = (UniqueConstraint("session_id", "parcours_id", name="uq_place_personne"),)

    session_id: str = Field(primary_key=True, foreign_key="session_collective.id")
    numero: int = Field(primary_key=True, description="De 1 à la capacité")
    inscription_id: str = Field(index=True, foreign_key="inscription_session_collective.id")
    parcours_id: str
