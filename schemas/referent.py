"""Référent unique: the one professional in charge, and warm handovers between référents."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from schemas.common import Acteur, LongText, Model


class ReferentAffecte(Model):
    referent: Acteur
    depuis: date


class DemandeTransfert(Model):
    nouveau_referent_id: str = Field(min_length=1, max_length=80)
    motif: LongText = Field(min_length=3)


class TransfertResolu(DemandeTransfert):
    """The handover as the workflow receives it, with the new référent's account resolved."""

    nouveau_referent: Acteur
    demande_le: date


class Transfert(Model):
    """A handover in progress: the new référent must acknowledge it."""

    de: Acteur | None
    vers: Acteur
    motif: str
    demande_le: date
    accuse_le: date | None = None


class AccuseTransfert(Model):
    accuse_le: date


class AccesTemporaire(Model):
    """Read access kept by a former référent after a handover (30 days)."""

    compte_id: str
    jusqu_au: date
    motif: str
