"""Dates as the field speaks them: French local days, not UTC instants."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def local_day(instant: datetime) -> date:
    """The calendar day in France at this instant."""
    return instant.astimezone(PARIS).date()


def start_of_day(day: date) -> datetime:
    """Midnight in France on that day, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=PARIS)


def days_between(earlier: date, later: date) -> int:
    return (later - earlier).days


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)
