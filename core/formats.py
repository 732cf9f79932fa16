"""French dates, numbers and plurals from Babel (CLDR), not from hand-written month tables.

Babel has no ordinal day: the French « 1er » of the first of the month is added here.
Not imported by workflow code (Babel loads its locale data lazily from files): the workflow's
own dates stay in ``workflows/etapes/base.py``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Literal

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from core.clock import PARIS

LOCALE = Locale.parse("fr_FR")


def _jour(d: date) -> str:
    return "1er" if d.day == 1 else str(d.day)


def jour(d: date | datetime, mois: Literal["court", "long"] = "court", annee: bool = True) -> str:
    """« 1er déc. 2026 », « 3 décembre 2026 », « lundi 1er décembre 2026 » (``jour_semaine``)."""
    if isinstance(d, datetime):
        d = d.astimezone(PARIS).date() if d.tzinfo else d.date()
    motif = "MMM" if mois == "court" else "MMMM"
    texte = f"{_jour(d)} {format_date(d, motif, locale=LOCALE)}"
    return f"{texte} {d.year}" if annee else texte


def jour_semaine(d: date) -> str:
    """« lundi 1er décembre 2026 »."""
    return f"{format_date(d, 'EEEE', locale=LOCALE)} {jour(d, 'long')}"


def heure(t: time | datetime) -> str:
    """« 9 h 00 », in Paris time, with no-break spaces: the hour never wraps away from its
    minutes (a slot button or a table cell is narrow on a phone)."""
    if isinstance(t, datetime):
        t = (t.astimezone(PARIS) if t.tzinfo else t).time()
    return format_time(t, "H\u00a0'h'\u00a0mm", locale=LOCALE)


def mois_annee(d: date) -> str:
    """« décembre 2026 »."""
    return format_date(d, "LLLL y", locale=LOCALE)


def nombre(n: int | float) -> str:
    """« 12 345 » with the French narrow no-break space, « 3,5 »."""
    return format_decimal(n, locale=LOCALE)


def pluriel(n: int, singulier: str, pluriel: str | None = None) -> str:
    """« 0 tentative », « 1 tentative », « 2 tentatives » (CLDR: 0 and 1 are singular in French)."""
    forme = singulier if LOCALE.plural_form(n) == "one" else (pluriel or f"{singulier}s")
    return f"{nombre(n)} {forme}"


# Month names as the workflows write them (« 1 décembre 2026 », workflows/etapes/base.py): their
# texts are kept in running histories, so the « 1er » is put in where they are shown.
_MOIS = "|".join(format_date(date(2000, m, 1), "MMMM", locale=LOCALE) for m in range(1, 13))
_PREMIER = re.compile(rf"(?<![\d\w.,])1 ({_MOIS})\b")


def premier_du_mois(texte: str) -> str:
    """« entrée le 1 décembre 2026 » → « entrée le 1er décembre 2026 »; « 11 décembre » kept."""
    return _PREMIER.sub(r"1er \1", texte)
