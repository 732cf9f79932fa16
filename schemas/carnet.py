"""The person's own access to their carnet de bord: a personal link sent by SMS or e-mail."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from pydantic import Field

from schemas.common import LabelledEnum, Model

VALIDITE_JOURS = 30


class CanalLien(LabelledEnum):
    SMS = "sms", "Par SMS"
    COURRIEL = "courriel", "Par courriel"
    LES_DEUX = "les_deux", "Par SMS et par courriel"


class DemandeLienCarnet(Model):
    """What the référent asks: send the person the link to their carnet."""

    canal: CanalLien = CanalLien.LES_DEUX


class EnvoiLienCarnet(DemandeLienCarnet):
    """The same, completed by the web app with the platform's public address (never by a client)."""

    adresse_publique: str = Field(pattern=r"^https?://")


class RevocationLiensCarnet(Model):
    motif: str = Field(min_length=3, max_length=300)


class AccesCarnet(Model):
    """A link given to the person. Only the SHA-256 of its secret is kept in the state."""

    id: str
    empreinte: str
    cree_le: datetime
    expire_le: date
    revoque: bool = False
    # True when the secret was drawn by the sending activity (``secrets``). Links made before
    # derived it from ``workflow.uuid4()``, guessable from the run id: they are revoked.
    hors_workflow: bool = False


def empreinte(secret: str) -> str:
    """What the state, the read model and the carnet's page compare: never the secret."""
    return hashlib.sha256(secret.encode()).hexdigest()
