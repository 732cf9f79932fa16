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
    CCAS = "ccas", "CCAS"
    ASSOCIATION = "association", "Association"


class Role(LabelledEnum):
    REFERENT = "referent", "Référent"
    COORDINATEUR = "coordinateur", "Coordinateur"
    ADMINISTRATEUR = "administrateur", "Administrateur"
    ADMIN_STRUCTURE = "admin_structure", "Administrateur de structure"
    ADMIN_TERRITOIRE = "admin_territoire", "Administrateur de territoire"
    PARTENAIRE = "partenaire", "Système partenaire"
    USAGER = "usager", "Usager"
    SYSTEME = "systeme", "Plateforme"
    # The SPIE's employer-relations staff of a territory (issue 24): companies, offers, pool.
    CHARGE_ENTREPRISE = "charge_entreprise", "Chargé de relation entreprise"


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


CONFLIT_DE_VERSION = "conflit_de_version"
MESSAGE_CONFLIT = "Le parcours a changé entre-temps : rechargez-le avant de recommencer"


class Ordre(BaseModel, Generic[P]):
    """A command as the workflow receives it: what a person asked, and who asked it.

    The web app fills ``auteur`` from the session; clients only send ``donnees``.
    ``version_attendue`` is optimistic versioning: the version of what the person saw (the
    parcours' ``version_metier``; for a child's command, the child's ``version`` as the
    parcours knew it). The executing workflow refuses the command, changing nothing, when
    its version differs. ``None``: no check (API clients that do not send ``If-Match``).
    """

    model_config = ConfigDict(extra="forbid")

    auteur: Acteur
    donnees: P
    version_attendue: int | None = Field(default=None, ge=0)

    def perime(self, version: int) -> bool:
        """True when the person acted on another version than ``version``."""
        return self.version_attendue is not None and self.version_attendue != version


def enum_label(value: Any) -> str:
    """The French label of an enum member, or the value itself."""
    return getattr(value, "label", str(value))
