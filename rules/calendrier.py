"""Counting days as French administrations do: calendar days, working days, months."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from schemas.contrat import add_months
from schemas.regles import Delai, Unite


def est_ouvre(day: date, feries: frozenset[date]) -> bool:
    return day.weekday() < 5 and day not in feries


def ajouter_jours_ouvres(day: date, count: int, feries: Iterable[date]) -> date:
    """The ``count``-th working day after ``day`` (Saturdays, Sundays and holidays skipped)."""
    off = frozenset(feries)
    current = day
    remaining = count
    while remaining > 0:
        current += timedelta(days=1)
        if est_ouvre(current, off):
            remaining -= 1
    return current


def ajouter(day: date, delai: Delai, feries: Iterable[date]) -> date:
    if delai.unite == Unite.JOURS_OUVRES:
        return ajouter_jours_ouvres(day, delai.valeur, feries)
    if delai.unite == Unite.MOIS:
        return add_months(day, delai.valeur)
    return day + timedelta(days=delai.valeur)


def jours_feries_france(years: Iterable[int]) -> list[date]:
    """Public holidays in metropolitan France. Uses the ``holidays`` package, which cannot run
    inside the workflow sandbox: call this from an activity only."""
    import holidays  # imported here: keeps this module importable by workflows

    return sorted(holidays.country_holidays("FR", years=list(years)).keys())
