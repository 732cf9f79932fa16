"""Registering the person in RDV-Solidarités (issue 20, item 4): the référent's request and the
call's payload (the tool's own field names: see activities/rdv_solidarites.py for the source)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from schemas.common import Model
from schemas.rdv import StatutRdv


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


class IssueRdvSolidarites(Model):
    """The outcome the référent recorded for a rdv taken in the tool, sent back to its
    participation (``PATCH /api/v1/participations/{id}``). The tool's status is chosen by the
    activity (``partenaires.rdv_solidarites.STATUT_PARTICIPATION``), not stored here."""

    rdv_id: str = Field(description="Le rdv dans le parcours")
    participation_id: str = Field(pattern=r"^[0-9]{1,18}$")
    statut: StatutRdv
