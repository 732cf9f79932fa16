"""One computation: the population (reader's scope + filters, as SQL conditions on the
parcours table), the period, the reference day, and the queries every indicator shares."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, true
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from observatoire.faits import Faits, lire
from observatoire.modele import Filtres
from observatoire.stats import mois_suivant
from store.parcours import ParcoursRow


def conditions(f: Filtres) -> list[ColumnElement[bool]]:
    """The parcours the filters keep (the period is applied by each indicator to its events)."""
    c: list[ColumnElement[bool]] = []
    if f.territoire is not None:
        c.append(col(ParcoursRow.territoire) == f.territoire.value)
    if f.organisme is not None:
        c.append(col(ParcoursRow.organisme) == f.organisme.value)
    if f.cohorte is not None:
        c.append(col(ParcoursRow.ouvert_le) >= f.cohorte)
        c.append(col(ParcoursRow.ouvert_le) < mois_suivant(f.cohorte))
    return c


@dataclass
class Calcul:
    session: AsyncSession
    filtres: Filtres
    reference: date  # the day stocks are observed on: the period's end, else today
    population: list[ColumnElement[bool]]
    _faits: list[Faits] | None = field(default=None, repr=False)

    @classmethod
    def pour(
        cls,
        session: AsyncSession,
        filtres: Filtres,
        today: date,
        portee: ColumnElement[bool] | None = None,
    ) -> Calcul:
        population = [portee if portee is not None else true(), *conditions(filtres)]
        return cls(session, filtres, filtres.au or today, population)

    def dans_periode(self, jour: date | None) -> bool:
        f = self.filtres
        return (
            jour is not None and (f.du is None or jour >= f.du) and (f.au is None or jour <= f.au)
        )

    def periode(self, colonne: Any) -> list[ColumnElement[bool]]:
        """The period as SQL conditions on a date column."""
        c: list[ColumnElement[bool]] = []
        if self.filtres.du is not None:
            c.append(colonne >= self.filtres.du)
        if self.filtres.au is not None:
            c.append(colonne <= self.filtres.au)
        return c

    def selection(self, *colonnes: Any, jointure: Any = None) -> Select[Any]:
        """SELECT columns FROM the parcours of the population (joining a child table on its
        ``parcours_id`` when the columns belong to one)."""
        stmt: Select[Any] = Select(*colonnes)
        if jointure is not None:
            stmt = stmt.select_from(jointure).join(
                ParcoursRow, col(ParcoursRow.id) == jointure.parcours_id
            )
        else:
            stmt = stmt.select_from(ParcoursRow)
        return stmt.where(*self.population)

    async def lignes(self, stmt: Select[Any]) -> Sequence[Any]:
        return (await self.session.exec(stmt)).all()

    async def faits(self) -> list[Faits]:
        """Dated facts of every parcours of the population, read once per computation."""
        if self._faits is None:
            rows = await self.lignes(self.selection(ParcoursRow.id, ParcoursRow.etat))
            self._faits = [lire(pid, etat or {}) for pid, etat in rows]
        return self._faits
