"""Alerts raised by the vigie des ruptures: why a parcours is stuck, since when, until when."""

from __future__ import annotations

from datetime import date

from schemas.common import LabelledEnum, Model


class Severite(LabelledEnum):
    ALERTE = "alerte", "Alerte"
    RUPTURE = "rupture", "Rupture"


class Alerte(Model):
    """One active reason. ``cle`` distinguishes two alerts of the same rule (two PMSMP…)."""

    code: str
    cle: str
    libelle: str
    severite: Severite
    depuis: date
    echeance: date | None = None


class SignalementPartenaire(Model):
    """A partner reported a break; a référent must act within the rule's delay."""

    evenement_id: str
    type: str
    libelle: str
    le: date
    traite_le: date | None = None
