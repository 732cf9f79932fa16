"""The structures (organismes) whose professionals use the platform, and the one-time links
that let a new account choose its password.

A structure has a type (:class:`schemas.common.Organisme`): an account attached to it acts
with that type as its organisme, as the demo accounts always did.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class Structure(SQLModel, table=True):
    __tablename__ = "structure"

    id: str = Field(primary_key=True)
    nom: str = Field(unique=True)
    type: str = Field(index=True, description="Organisme (schemas.common)")
    siret: str | None = Field(default=None, unique=True)
    territoires: str = Field(default="", description="Codes des territoires servis, séparés par ,")
    domaines: str = Field(
        default="", description="Domaines de courriel de ses agents (ProConnect), séparés par ,"
    )
    contact_nom: str | None = None
    contact_email: str | None = None
    contact_telephone: str | None = None
    cree_le: datetime


class ActivationCompte(SQLModel, table=True):
    """An activation link: its secret is drawn with ``secrets`` and only its SHA-256 is kept."""

    __tablename__ = "activation_compte"

    empreinte: str = Field(primary_key=True)
    compte_id: str = Field(index=True, foreign_key="compte.id")
    cree_le: datetime
    expire_le: datetime
    utilise_le: datetime | None = None
