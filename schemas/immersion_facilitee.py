"""Immersion Facilitée's public API (v2), the part the platform reads: a convention as the API
and the ``convention.updated`` callback carry it, and a webhook subscription.

Contract: gip-inclusion/immersion-facile, commit cd676358befab6b481b326b25f0e649abc6e1423
(2026-08-07) — shared/src/convention/convention.dto.ts (ConventionReadDto, statuses,
signatories with ``signedAt``, ``assessment``), shared/src/apiConsumer/ApiConsumer.ts and
apiConsumer.schema.ts (subscription, ``callbackHeaders``),
back/src/domains/core/api-consumer/ports/SubscribersGateway.ts (callback body).
Only the fields the platform uses are declared; the others are kept (``extra="allow"``), as the
real payload carries many more (schedule, agency, reminders…).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

EVENEMENT_SOUSCRIT = "convention.updated"  # the only subscribable event (ApiConsumer.ts)
# Headers Immersion Facilitée replays on each callback (authorizedCallbackHeaderKeys)
ENTETES_RAPPEL_AUTORISES = ("authorization", "X-Gravitee-Api-Key", "operateur")


class _Souple(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class StatutConvention(StrEnum):
    """``conventionStatuses`` of convention.dto.ts."""

    READY_TO_SIGN = "READY_TO_SIGN"
    PARTIALLY_SIGNED = "PARTIALLY_SIGNED"
    IN_REVIEW = "IN_REVIEW"
    REJECTED = "REJECTED"
    CANCELLED = "CANCELLED"
    DEPRECATED = "DEPRECATED"
    ACCEPTED_BY_COUNSELLOR = "ACCEPTED_BY_COUNSELLOR"
    ACCEPTED_BY_VALIDATOR = "ACCEPTED_BY_VALIDATOR"


# Every signatory has signed once the convention reached one of these (conventionStatusTransitions)
STATUTS_SIGNES = frozenset(
    {
        StatutConvention.IN_REVIEW,
        StatutConvention.ACCEPTED_BY_COUNSELLOR,
        StatutConvention.ACCEPTED_BY_VALIDATOR,
    }
)


class StatutBilan(StrEnum):
    """``assessmentStatuses`` (assessment.dto.ts) and the legacy ones."""

    COMPLETED = "COMPLETED"
    PARTIALLY_COMPLETED = "PARTIALLY_COMPLETED"
    DID_NOT_SHOW = "DID_NOT_SHOW"
    FINISHED = "FINISHED"  # legacy
    ABANDONED = "ABANDONED"  # legacy


class Signataire(_Souple):
    role: str
    signed_at: datetime | None = Field(default=None, alias="signedAt")


class Signataires(_Souple):
    beneficiary: Signataire
    establishment_representative: Signataire = Field(alias="establishmentRepresentative")
    beneficiary_representative: Signataire | None = Field(
        default=None, alias="beneficiaryRepresentative"
    )
    beneficiary_current_employer: Signataire | None = Field(
        default=None, alias="beneficiaryCurrentEmployer"
    )

    def presents(self) -> list[Signataire]:
        return [
            s
            for s in (
                self.beneficiary,
                self.establishment_representative,
                self.beneficiary_representative,
                self.beneficiary_current_employer,
            )
            if s is not None
        ]


class BilanConvention(_Souple):
    """``ConventionAssessmentFields.assessment``: a summary, not the whole assessment."""

    status: StatutBilan
    ended_with_a_job: bool | None = Field(default=None, alias="endedWithAJob")
    signed_at: date | None = Field(default=None, alias="signedAt")
    created_at: datetime = Field(alias="createdAt")


class Convention(_Souple):
    """``ConventionReadDto``, as GET /v2/conventions/:id and the callback return it."""

    id: str = Field(min_length=1, max_length=100)
    status: StatutConvention
    status_justification: str | None = Field(default=None, alias="statusJustification")
    siret: str = Field(pattern=r"^[0-9]{14}$")
    business_name: str = Field(alias="businessName")
    date_start: datetime = Field(alias="dateStart")
    date_end: datetime = Field(alias="dateEnd")
    date_validation: datetime | None = Field(default=None, alias="dateValidation")
    updated_at: datetime | None = Field(default=None, alias="updatedAt")
    internship_kind: str = Field(alias="internshipKind")
    signatories: Signataires
    assessment: BilanConvention | None = None

    @property
    def signee(self) -> bool:
        return all(s.signed_at is not None for s in self.signatories.presents())


class ChargeRappel(_Souple):
    convention: Convention


class RappelConventionModifiee(_Souple):
    """The body Immersion Facilitée POSTs to a subscriber (SubscribersGateway.ts)."""

    payload: ChargeRappel
    subscribed_event: Literal["convention.updated"] = Field(alias="subscribedEvent")


class Souscription(BaseModel):
    """``CreateWebhookSubscription``: POST /v2/webhooks."""

    model_config = ConfigDict(populate_by_name=True)

    subscribed_event: Literal["convention.updated"] = Field(alias="subscribedEvent")
    callback_url: str = Field(alias="callbackUrl")
    callback_headers: dict[str, str] = Field(alias="callbackHeaders")


class SouscriptionActive(Souscription):
    """``WebhookSubscription``: an item of GET /v2/webhooks."""

    id: str
    created_at: datetime = Field(alias="createdAt")


class EtatSouscription(BaseModel):
    """What the subscription activity did, for the workflow's history (never the secret)."""

    action: Literal["deja_souscrit", "souscrit", "renouvele"]
    souscription_id: str | None = None
