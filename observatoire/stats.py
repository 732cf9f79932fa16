"""The few statistics the indicators use, with the conventions written in their definitions."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from datetime import date

from schemas.contrat import add_months


def mediane(valeurs: Sequence[float]) -> float | None:
    """The middle value; the mean of the two middle ones when their number is even."""
    return round(statistics.median(valeurs), 1) if valeurs else None


def centile_80(valeurs: Sequence[float]) -> float | None:
    """Nearest rank: the value at rank ⌈0,8 × n⌉ of the sorted values (never interpolated,
    so it is always a duration that was actually observed)."""
    if not valeurs:
        return None
    return float(sorted(valeurs)[math.ceil(0.8 * len(valeurs)) - 1])


def pourcentage(nombre: int, total: int) -> float | None:
    return round(100 * nombre / total, 1) if total else None


def dans_le_mois(depuis: date, jour: date) -> bool:
    """Within one calendar month, as the vigie counts its one-month deadlines."""
    return jour <= add_months(depuis, 1)


def mois(jour: date) -> date:
    return jour.replace(day=1)


def mois_suivant(premier: date) -> date:
    return add_months(premier, 1)
