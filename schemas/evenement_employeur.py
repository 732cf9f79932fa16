"""Events with employers (issue 24, item 5): job datings and information sessions, the
companies and offers they present, and the people their référents invite. What is typed; the
rows are in store/evenements_employeurs.py."""

from __future__ import annotations

from datetime import date

from pydantic import Field, field_validator

from schemas.common import LabelledEnum, LongText, Model, Text
from schemas.employeur import siret_normalise


class NatureEvenement(LabelledEnum):
    JOB_DATING = "job_dating", "Job dating"
    REUNION_INFORMATION = "reunion_information", "Réunion d'information"


class EvenementSaisi(Model):
    """An event as the chargé de relation entreprise types it (creation and change alike)."""

    nature: NatureEvenement
    titre: Text
    le: date
    horaire: Text | None = Field(default=None, examples=["9 h – 12 h"])
    adresse: Text | None = None
    code_postal: str = Field(pattern=r"^[0-9]{5}$")
    commune: Text
    entreprises: list[str] = Field(default_factory=list, max_length=50, description="SIRET")
    offres: list[str] = Field(default_factory=list, max_length=100, description="Identifiants")
    description: LongText | None = None

    @field_validator("entreprises")
    @classmethod
    def _sirets(cls, valeurs: list[str]) -> list[str]:
        return list(dict.fromkeys(siret_normalise(v) for v in valeurs))

    @field_validator("offres")
    @classmethod
    def _offres(cls, valeurs: list[str]) -> list[str]:
        return list(dict.fromkeys(valeurs))


class InvitationSaisie(Model):
    parcours_id: str = Field(min_length=1, max_length=80)


class Presence(LabelledEnum):
    PRESENTE = "presente", "Présente"
    ABSENTE = "absente", "Absente"
    EXCUSEE = "excusee", "Excusée"


class SuiteEvenement(LabelledEnum):
    """What came of the event for the person, as far as the référent knows."""

    AUCUNE = "aucune", "Pas de suite"
    ENTRETIEN = "entretien", "Entretien avec un employeur"
    PMSMP = "pmsmp", "Immersion (PMSMP)"
    FORMATION = "formation", "Formation"
    EMBAUCHE = "embauche", "Embauche"


class SuiteInvitation(Model):
    """What the référent records after the event."""

    presence: Presence
    suite: SuiteEvenement | None = None
