"""Vocabulary shared by every concept: labelled enums, territories, organisations, actors."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Generic, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class LabelledEnum(StrEnum):
    """A code stored in data, with the French label people read beside it."""

    label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


class Model(BaseModel):
    """Base of every schema: unknown fields are refused so that typos never pass silently."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False, validate_assignment=False)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
P = TypeVar("P", bound=BaseModel)

LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class Territoire(LabelledEnum):
    BASSIN_ANNECIEN = "bassin_annecien", "Bassin annécien"
    GENEVOIS_FRANCAIS = "genevois_francais", "Genevois français"
    CHABLAIS = "chablais", "Chablais"
    VALLEE_ARVE = "vallee_arve", "Vallée de l'Arve"


class Organisme(LabelledEnum):
    """Organisations that can be the organisme référent of a parcours."""

    FRANCE_TRAVAIL = "france_travail", "France Travail"
    CONSEIL_DEPARTEMENTAL = "conseil_departemental", "Conseil départemental – PMS"
    MISSION_LOCALE = "mission_locale", "Mission Locale"
    CAP_EMPLOI = "cap_emploi", "Cap Emploi"
    SIAE = "siae", "Structure d'insertion par l'activité économique"
    PLIE = "plie", "PLIE"


class Role(LabelledEnum):
    REFERENT = "referent", "Référent"
    COORDINATEUR = "coordinateur", "Coordinateur"
    ADMINISTRATEUR = "administrateur", "Administrateur"
    PARTENAIRE = "partenaire", "Système partenaire"
    USAGER = "usager", "Usager"
    SYSTEME = "systeme", "Plateforme"


class Acteur(Model):
    """Who did something: a person with a role, a partner system, or the platform itself."""

    id: str = Field(min_length=1, max_length=80)
    nom: str = Field(min_length=1, max_length=200)
    role: Role
    organisme: Organisme | None = None
    territoire: Territoire | None = None

    @classmethod
    def plateforme(cls) -> Acteur:
        return cls(id="plateforme", nom="Plateforme Parcours", role=Role.SYSTEME)

    @classmethod
    def partenaire(cls, partner_id: str, nom: str) -> Acteur:
        return cls(id=f"partenaire:{partner_id}", nom=nom, role=Role.PARTENAIRE)


class Ordre(BaseModel, Generic[P]):
    """A command as the workflow receives it: what a person asked, and who asked it.

    The web app fills ``auteur`` from the session; clients only send ``donnees``.
    """

    model_config = ConfigDict(extra="forbid")

    auteur: Acteur
    donnees: P


def enum_label(value: Any) -> str:
    """The French label of an enum member, or the value itself."""
    return getattr(value, "label", str(value))
