"""The orientation of a person towards the structure of a prescribed service, and its answer.

Modelled on DORA's orientations (gip-inclusion/dora, commit 388804a7, 2026-08-22,
back/dora/orientations/models.py): a request sent to the structure with the person's details,
the référent's contact and the motive; the structure opens it from a link in an e-mail, with
no account, and accepts it or refuses it with reasons; unanswered, it expires. Statuses
(OUVERTE, VALIDÉE, REFUSÉE, EXPIRÉE) and the refusal reasons (rules/orientation_structure.yaml)
are DORA's. Only the fingerprints of the links are kept here, never a secret."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from schemas.common import LabelledEnum, LongText, Model


class StatutOrientation(LabelledEnum):
    # DORA: OrientationStatus.PENDING « OUVERTE », ACCEPTED « VALIDÉE », REJECTED « REFUSÉE »,
    # EXPIRED « EXPIRÉE » (its moderation statuses have no counterpart here).
    OUVERTE = "ouverte", "En attente de réponse de la structure"
    VALIDEE = "validee", "Acceptée par la structure"
    REFUSEE = "refusee", "Refusée par la structure"
    EXPIREE = "expiree", "Expirée sans réponse"


class OrientationStructure(Model):
    """The request sent to the structure, in the action's state."""

    envoyee_le: date
    expire_le: date = Field(description="Sans réponse ce jour-là, l'orientation expire")
    empreintes: list[str] = Field(default_factory=list, description="SHA-256 des liens envoyés")
    statut: StatutOrientation = StatutOrientation.OUVERTE
    repondue_le: date | None = None
    debut_le: date | None = Field(default=None, description="Date d'entrée proposée")
    motifs_refus: list[str] = Field(default_factory=list)
    precisions: str = ""


Motif = Annotated[str, StringConstraints(min_length=1, max_length=60)]


class ReponseStructure(Model):
    """The structure's answer from its link page (web/cockpit/orientation_structure.py)."""

    action_id: str = Field(min_length=1, max_length=80)
    decision: Literal["acceptee", "refusee"]
    debut_le: date | None = None
    motifs_refus: list[Motif] = Field(default_factory=list, max_length=12)
    precisions: LongText = ""
