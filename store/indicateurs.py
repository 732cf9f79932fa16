"""Daily snapshots of the indicators (observatoire): trends outlive the parcours they were
computed from, once old parcours are anonymised or purged. Written by the daily schedule."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

DEPARTEMENT = "departement"  # the territoire code of the whole département's snapshot


class InstantaneIndicateur(SQLModel, table=True):
    """One indicator's rows, for one territory (or the département), on one day."""

    __tablename__ = "observatoire_instantane"

    jour: date = Field(primary_key=True)
    territoire: str = Field(primary_key=True)
    code: str = Field(primary_key=True, index=True)
    valeur: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    calcule_le: datetime
