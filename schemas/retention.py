"""Inputs and results of the anonymisation of closed parcours."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from schemas.common import Model


class DemandeAnonymisation(Model):
    jour: date
    delai_jours: int | None = Field(
        default=None, ge=0, description="Par défaut : ANONYMISATION_JOURS"
    )


class BilanAnonymisation(Model):
    anonymises: list[str]
    historiques_supprimes: int
