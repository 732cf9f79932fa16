"""Every indicator, in the order pages and documents show them, and the one entry point that
computes them for a population."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement
from sqlmodel.ext.asyncio.session import AsyncSession

# Importing the theme modules registers their indicators.
from observatoire import delais, employeurs, flux, freins, pmsmp, ruptures, sorties  # noqa: F401
from observatoire.calcul import Calcul
from observatoire.modele import REGISTRE, Filtres, Indicateur, Resultat, Theme

# By theme, then in declaration order within a theme (sorted() is stable).
INDICATEURS: list[Indicateur] = sorted(REGISTRE.values(), key=lambda i: list(Theme).index(i.theme))


def trouver(code: str) -> Indicateur | None:
    return REGISTRE.get(code)


async def calculer(
    session: AsyncSession,
    filtres: Filtres,
    today: date,
    *,
    portee: ColumnElement[bool] | None = None,
    codes: list[str] | None = None,
) -> list[Resultat]:
    """The indicators (all, or those named) for the parcours in ``portee`` kept by ``filtres``."""
    calcul = Calcul.pour(session, filtres, today, portee)
    choisis = [i for i in INDICATEURS if codes is None or i.code in codes]
    return [Resultat(i, await i.calculer(calcul)) for i in choisis]
