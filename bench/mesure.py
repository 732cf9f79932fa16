"""What a measure returns: figures, each with its unit, its target and how it was obtained."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Chiffre:
    libelle: str
    valeur: float | None  # None: not measured (the reason is in the method)
    unite: str
    methode: str
    cible: str = ""
    atteinte: bool | None = None  # None: no target

    def valeur_texte(self) -> str:
        if self.valeur is None:
            return "—"
        if self.valeur >= 100 or self.valeur == int(self.valeur):
            texte = entier(self.valeur)
        elif self.valeur >= 10:
            texte = f"{self.valeur:.1f}"
        else:
            texte = f"{self.valeur:.2f}"
        return f"{texte} {self.unite}".strip()

    def verdict(self) -> str:
        return {True: "oui", False: "NON", None: ""}[self.atteinte]


@dataclass
class Resultat:
    mesure: str  # French title of the measure
    chiffres: list[Chiffre] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duree_s: float = 0.0

    def ajouter(self, chiffre: Chiffre) -> Chiffre:
        self.chiffres.append(chiffre)
        return chiffre


def entier(n: float) -> str:
    """12 345 (a thin space between thousands, as French writes them)."""
    return f"{n:,.0f}".replace(",", "\u202f")


def centile(valeurs: Sequence[float], p: float) -> float:
    """The p-th percentile (0–100), linear between the two nearest ranks."""
    if not valeurs:
        return math.nan
    tries = sorted(valeurs)
    rang = (len(tries) - 1) * p / 100
    bas, haut = math.floor(rang), math.ceil(rang)
    return tries[bas] + (tries[haut] - tries[bas]) * (rang - bas)


def ms(secondes: float) -> float:
    return secondes * 1000


def au_plus(valeur: float, limite: float) -> bool:
    return not math.isnan(valeur) and valeur <= limite


def au_moins(valeur: float, limite: float) -> bool:
    return not math.isnan(valeur) and valeur >= limite


@contextmanager
def chrono() -> Iterator[list[float]]:
    """``with chrono() as t: …`` then ``t[0]`` is the elapsed time in seconds."""
    duree: list[float] = [0.0]
    debut = time.perf_counter()
    try:
        yield duree
    finally:
        duree[0] = time.perf_counter() - debut
