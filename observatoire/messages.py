"""What the daily snapshot workflow and its activity exchange (one input model each, so fields
can be added without breaking running histories)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class DemandeInstantane(BaseModel):
    jour: date | None = Field(
        default=None, description="Jour de l'instantané ; par défaut, le jour du lancement"
    )


class InstantanePris(BaseModel):
    jour: date
    lignes: int
