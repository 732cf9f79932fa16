"""What an indicator is: its definition (code, French title and definition, unit, columns,
chart) beside the small function that computes its rows. Definitions register themselves
in declaration order, so the page, the API, the CSV and the documentation list the same."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from schemas.common import LabelledEnum, Organisme, Territoire

if TYPE_CHECKING:
    from observatoire.calcul import Calcul

Valeur = float | None


class Theme(LabelledEnum):
    STOCK = "stock", "Stock et flux"
    DELAIS = "delais", "Délais"
    RUPTURES = "ruptures", "Ruptures"
    PMSMP = "pmsmp", "Immersions (PMSMP)"
    SORTIES = "sorties", "Sorties et emploi"
    FREINS = "freins", "Freins périphériques"
    EMPLOYEURS = "employeurs", "Relation entreprise"


class Nature(StrEnum):
    """How a column is read, and how it is masked."""

    EFFECTIF = "effectif"  # a count of people or events: masked under the threshold
    PART = "part"  # a percentage (0–100): hidden when a count it derives from is masked
    JOURS = "jours"  # a duration in days: hidden when the count of observations is masked
    HEURES = "heures"  # hours worked: hidden when the count of people is masked


UNITES = {Nature.EFFECTIF: "", Nature.PART: "%", Nature.JOURS: "jours", Nature.HEURES: "h"}


@dataclass(frozen=True)
class Colonne:
    code: str
    libelle: str
    nature: Nature
    base: tuple[str, ...] = ()  # the counts this value derives from

    @property
    def entete(self) -> str:
        unite = UNITES[self.nature]
        return f"{self.libelle} ({unite})" if unite else self.libelle


def effectif(code: str, libelle: str) -> Colonne:
    return Colonne(code, libelle, Nature.EFFECTIF)


def part(code: str, libelle: str, *base: str) -> Colonne:
    return Colonne(code, libelle, Nature.PART, base)


def jours(code: str, libelle: str, *base: str) -> Colonne:
    return Colonne(code, libelle, Nature.JOURS, base)


def heures(code: str, libelle: str, *base: str) -> Colonne:
    return Colonne(code, libelle, Nature.HEURES, base)


@dataclass(frozen=True)
class Ligne:
    cle: str
    libelle: str
    valeurs: Mapping[str, Valeur]


class TypeGraphique(StrEnum):
    BARRES = "bar-chart"
    COURBES = "line-chart"
    SECTEURS = "pie-chart"


@dataclass(frozen=True)
class Graphique:
    """Which columns the chart draws. ``complement`` draws one row as a whole split in two:
    (the total column, the label of what is left once the series is taken out)."""

    type: TypeGraphique
    series: tuple[str, ...]
    horizontal: bool = False
    complement: tuple[str, str] | None = None


Calculer = Callable[["Calcul"], Awaitable[list[Ligne]]]


@dataclass(frozen=True)
class Indicateur:
    code: str
    theme: Theme
    titre: str
    definition: str
    unite: str
    dimension: str  # the heading of the row labels (first CSV column)
    colonnes: tuple[Colonne, ...]
    graphique: Graphique
    calculer: Calculer = field(repr=False, compare=False)

    def colonne(self, code: str) -> Colonne:
        return next(c for c in self.colonnes if c.code == code)


REGISTRE: dict[str, Indicateur] = {}


def indicateur(
    *,
    code: str,
    theme: Theme,
    titre: str,
    definition: str,
    unite: str,
    dimension: str,
    colonnes: tuple[Colonne, ...],
    graphique: Graphique,
) -> Callable[[Calculer], Calculer]:
    """Declare an indicator on its computing function."""

    def enregistrer(fn: Calculer) -> Calculer:
        if code in REGISTRE:
            raise ValueError(f"Indicateur déclaré deux fois : {code}")
        REGISTRE[code] = Indicateur(
            code=code,
            theme=theme,
            titre=titre,
            definition=" ".join(definition.split()),  # one paragraph, however it was indented
            unite=unite,
            dimension=dimension,
            colonnes=colonnes,
            graphique=graphique,
            calculer=fn,
        )
        return fn

    return enregistrer


@dataclass(frozen=True)
class Resultat:
    indicateur: Indicateur
    lignes: list[Ligne]


@dataclass(frozen=True)
class Filtres:
    """Who and when: territoire, organisme référent, cohort (month of entry) and period.
    ``du`` and ``au`` are inclusive; ``au`` is also the day stocks are observed on."""

    territoire: Territoire | None = None
    organisme: Organisme | None = None
    cohorte: date | None = None  # first day of the month of entry
    du: date | None = None
    au: date | None = None
