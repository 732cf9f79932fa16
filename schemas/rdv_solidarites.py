"""Registering the person in RDV-Solidarités (issue 20, item 4): the référent's request and the
call's payload (the tool's own field names: see activities/rdv_solidarites.py for the source)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from schemas.common import Model


class DemandeRdvSolidarites(Model):
    organisation_id: int = Field(
        ge=1,
        description="Organisation du département dans RDV-Solidarités (son identifiant dans l'outil)",
    )


class UsagerRdvSolidarites(Model):
    """What ``POST /api/v1/users`` takes: only what the person agreed to share."""

    organisation_ids: list[int] = Field(min_length=1)
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    birth_date: date | None = None
    email: str | None = None
    phone_number: str | None = None
    affiliation_number: str | None = Field(default=None, description="Numéro allocataire CAF")


class InscriptionRdvSolidarites(Model):
    usager: UsagerRdvSolidarites
