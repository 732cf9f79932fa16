"""The answer links of the orientations sent to structures (ticket 20, item 2): read model,
written by the projection. Only the SHA-256 of each link's secret, and what the answer page
shows the structure: the person's details they consented to share, the motive, the service."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class OrientationStructureRow(SQLModel, table=True):
    __tablename__ = "orientation_structure"

    empreinte: str = Field(primary_key=True)
    parcours_id: str = Field(index=True, foreign_key="parcours.id")
    action_id: str
    referent_id: str | None = None
    service: str
    structure: str
    motif: str = ""
    debut_prevu: date
    expire_le: date
    statut: str
    debut_le: date | None = None
    motifs_refus: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    # the person, as shared with the person's consent (none, and no row is written)
    personne: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))
