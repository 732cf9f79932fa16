"""Partner events as received: stored before they are acknowledged, never dropped."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from schemas.common import LabelledEnum


class StatutReception(LabelledEnum):
    A_LIVRER = "a_livrer", "Reçu, en cours de livraison"
    LIVRE = "livre", "Livré au parcours"
    A_RAPPROCHER = "a_rapprocher", "À rapprocher d'un parcours"


class EvenementRecu(SQLModel, table=True):
    __tablename__ = "evenement_partenaire"

    partenaire: str = Field(primary_key=True)
    id: str = Field(primary_key=True)
    type: str = Field(index=True)
    source: str
    sujet: str = Field(index=True)
    survenu_le: datetime
    recu_le: datetime
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    statut: str = Field(index=True)
    parcours_id: str | None = Field(default=None, index=True)
    motif: str | None = Field(default=None, description="Pourquoi il attend un rapprochement")
    livre_le: datetime | None = None
    rattache_par: str | None = None
