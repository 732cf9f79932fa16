"""The rules a parcours runs under, as loaded from ``rules/`` for its territory.

The workflow receives this snapshot from an activity and keeps it in its state: evaluating
rules is then deterministic, and a rules change reaches running parcours only through a
recorded reload (never by a replay reading a newer file).
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from schemas.common import LabelledEnum, Model
from schemas.vigie import Severite


class Unite(LabelledEnum):
    JOURS = "jours", "jours calendaires"
    JOURS_OUVRES = "jours_ouvres", "jours ouvrés"
    MOIS = "mois", "mois"


class Delai(Model):
    valeur: int = Field(ge=0)
    unite: Unite = Unite.JOURS

    def libelle(self) -> str:
        return f"{self.valeur} {self.unite.label}"


class Echeance(Model):
    """Time allowed in a phase, counted from the day the parcours entered it."""

    code: str
    phase: str
    libelle: str
    delai: Delai
    alerte_avant_jours: int = Field(default=3, ge=0)


class RegleRupture(Model):
    code: str
    libelle: str
    severite: Severite
    delai: Delai | None = None
    seuil: int | None = None
    actif: bool = True


class Canal(LabelledEnum):
    SMS = "sms", "SMS"
    COURRIEL = "courriel", "Courriel"


class Rappel(Model):
    """A reminder sent to the person before an appointment."""

    code: str
    jours_avant: int = Field(ge=0, le=14)
    heure: int = Field(ge=7, le=20, description="Heure d'envoi, heure de Paris")
    canaux: list[Canal] = Field(min_length=1)


class ReglesVigie(Model):
    version: str
    territoire: str
    echeances: list[Echeance]
    ruptures: list[RegleRupture]
    rappels: list[Rappel] = Field(default_factory=list)
    jours_feries: list[date] = Field(description="Jours fériés en France, pour les jours ouvrés")

    def regle(self, code: str) -> RegleRupture | None:
        return next((r for r in self.ruptures if r.code == code and r.actif), None)

    def echeance_de_phase(self, phase: str) -> Echeance | None:
        return next((e for e in self.echeances if e.phase == phase), None)
