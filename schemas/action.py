"""Actions prescribed from the territory's offer of services (catalogue data·inclusion)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from schemas.common import LabelledEnum, LongText, Model, Text
from schemas.diagnostic import Frein


class StatutAction(LabelledEnum):
    PREVUE = "prevue", "Prévue"
    EN_COURS = "en_cours", "En cours"
    REALISEE = "realisee", "Réalisée"
    ABANDONNEE = "abandonnee", "Abandonnée"
    ANNULEE = "annulee", "Annulée"


ACTIONS_CLOSES = frozenset({StatutAction.REALISEE, StatutAction.ABANDONNEE, StatutAction.ANNULEE})


class PrescriptionAction(Model):
    service_id: str = Field(
        min_length=1, max_length=120, description="Identifiant du service au catalogue"
    )
    libelle: Text
    structure: Text
    thematique: Text
    frein: Frein | None = None
    debut_prevu: date


class DemandeAction(Model):
    """What a person sends to prescribe a service: the catalogue fills in the rest."""

    service_id: str = Field(
        min_length=1, max_length=120, description="Identifiant du service au catalogue"
    )
    frein: Frein | None = None
    debut_prevu: date


class MiseAJourAction(Model):
    action_id: str = Field(min_length=1, max_length=80)
    statut: StatutAction
    le: date
    commentaire: LongText = ""


class Action(Model):
    id: str
    prescription: PrescriptionAction
    statut: StatutAction = StatutAction.PREVUE
    mis_a_jour_le: date
    commentaire: str = ""
