"""Actions prescribed from the territory's offer of services (catalogue data·inclusion)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from schemas.common import LabelledEnum, LongText, Model, Text
from schemas.diagnostic import Frein
from schemas.orientation_structure import OrientationStructure


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
    # The orientation sent to the structure (ticket 20): its motive, and its contact from the
    # catalogue (data·inclusion ``courriel``); none, and no e-mail is sent.
    motif: LongText = ""
    courriel_structure: str | None = Field(default=None, max_length=200)
    adresse_publique: str | None = Field(default=None, pattern=r"^https?://")


class DemandeAction(Model):
    """What a person sends to prescribe a service: the catalogue fills in the rest."""

    service_id: str = Field(
        min_length=1, max_length=120, description="Identifiant du service au catalogue"
    )
    frein: Frein | None = None
    debut_prevu: date
    motif: LongText = Field(
        default="", description="Motif de l'orientation, transmis à la structure"
    )


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
    prescrite_le: date | None = None
    orientation: OrientationStructure | None = None
