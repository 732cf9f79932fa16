"""Queries on the read model, always through the reader's scope (need-to-know in SQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, true, union_all
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased, defer
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from schemas.common import Organisme, Role, Territoire
from schemas.erreurs import CodeErreur
from schemas.parcours import Phase, Statut
from services.utilisateur import Utilisateur
from store.parcours import AccesRow, AlerteRow, ParcoursRow
from web.erreurs import Refus

TRIS = {
    "nom": col(ParcoursRow.nom),
    "phase": col(ParcoursRow.phase),
    "statut": col(ParcoursRow.statut),
    "echeance": col(ParcoursRow.prochaine_echeance),
    "ouverture": col(ParcoursRow.ouvert_le),
    "contact": col(ParcoursRow.derniere_interaction),
    "rdv": col(ParcoursRow.prochain_rdv),
}


ECHAPPEMENT = "\\"


def litteral_like(texte: str) -> str:
    """What a person typed, matched as such: ``%`` and ``_`` are characters, not wildcards."""
    for special in (ECHAPPEMENT, "%", "_"):
        texte = texte.replace(special, ECHAPPEMENT + special)
    return texte


def portee(u: Utilisateur, today: date) -> ColumnElement[bool]:
    """The parcours this person may see at all."""
    if u.role == Role.ADMINISTRATEUR:
        return true()
    if u.role == Role.COORDINATEUR and u.territoire is not None:
        return col(ParcoursRow.territoire) == u.territoire.value
    if u.role == Role.REFERENT:
        acces = select(AccesRow.parcours_id).where(
            AccesRow.compte_id == u.id,
            or_(col(AccesRow.jusqu_au).is_(None), col(AccesRow.jusqu_au) >= today),
        )
        # One IN over a UNION rather than « referent_id = … OR id IN (…) »: PostgreSQL turns
        # that OR into a scan of every parcours; this form uses both indexes.
        siens = aliased(ParcoursRow)
        confies = select(siens.id).where(siens.referent_id == u.id)
        return col(ParcoursRow.id).in_(union_all(confies, acces))
    return false()


@dataclass
class Filtres:
    territoire: Territoire | None = None
    phase: Phase | None = None
    statut: Statut | None = None
    organisme: Organisme | None = None
    referent: str | None = None
    motif: str | None = None
    q: str | None = None
    anciennete: int | None = None  # alert raised at least N days ago
    inclure_clos: bool = False
    tri: str = "echeance"
    descendant: bool = False
    limit: int = 50
    offset: int = 0

    def verifier(self, u: Utilisateur) -> None:
        """Asking for what is outside one's scope is refused, not silently emptied."""
        if u.role == Role.COORDINATEUR and self.territoire not in (None, u.territoire):
            raise Refus(
                403,
                "Vous ne pouvez consulter que les parcours de votre territoire",
                CodeErreur.HORS_TERRITOIRE,
            )
        if u.role == Role.REFERENT and self.referent not in (None, u.id):
            raise Refus(
                403,
                "Vous ne pouvez consulter que les parcours qui vous sont confiés",
                "hors_portefeuille",
            )
        if self.tri not in TRIS:
            raise Refus(
                422, f"Tri inconnu : « {self.tri} » (possibles : {', '.join(TRIS)})", "tri_inconnu"
            )

    def conditions(self, today: date) -> list[ColumnElement[bool]]:
        c: list[ColumnElement[bool]] = []
        if self.territoire:
            c.append(col(ParcoursRow.territoire) == self.territoire.value)
        if self.phase:
            c.append(col(ParcoursRow.phase) == self.phase.value)
        if self.statut:
            c.append(col(ParcoursRow.statut) == self.statut.value)
        elif not self.inclure_clos:
            c.append(col(ParcoursRow.statut) != Statut.CLOS.value)
        if self.organisme:
            c.append(col(ParcoursRow.organisme) == self.organisme.value)
        if self.referent:
            c.append(col(ParcoursRow.referent_id) == self.referent)
        if self.q:
            like = f"%{litteral_like(self.q.strip().lower())}%"
            c.append(
                or_(
                    func.lower(ParcoursRow.nom).like(like, escape=ECHAPPEMENT),
                    func.lower(ParcoursRow.prenom).like(like, escape=ECHAPPEMENT),
                    func.lower(ParcoursRow.reference).like(like, escape=ECHAPPEMENT),
                )
            )
        if self.motif or self.anciennete:
            alertes = select(AlerteRow.parcours_id)
            if self.motif:
                alertes = alertes.where(AlerteRow.code == self.motif)
            if self.anciennete:
                alertes = alertes.where(
                    col(AlerteRow.depuis) <= today - timedelta(days=self.anciennete)
                )
            c.append(col(ParcoursRow.id).in_(alertes))
        return c


async def lister(
    session: AsyncSession, u: Utilisateur, f: Filtres, today: date
) -> tuple[int, list[ParcoursRow]]:
    f.verifier(u)
    where = [portee(u, today), *f.conditions(today)]
    total = (await session.exec(select(func.count()).select_from(ParcoursRow).where(*where))).one()
    order: Any = TRIS[f.tri].desc() if f.descendant else TRIS[f.tri].asc()
    rows = (
        await session.exec(
            select(ParcoursRow)
            .options(defer(ParcoursRow.etat))  # type: ignore[arg-type]
            .where(*where)
            .order_by(order.nulls_last(), col(ParcoursRow.nom))
            .limit(f.limit)
            .offset(f.offset)
        )
    ).all()
    return int(total), list(rows)


async def compter_par(
    session: AsyncSession,
    u: Utilisateur,
    today: date,
    *colonnes: Any,
    where: list[ColumnElement[bool]] | None = None,
) -> list[tuple[Any, ...]]:
    """Counters for the coordinator's map: counts grouped by the given columns, within scope."""
    stmt = (
        sa_select(*colonnes, func.count())
        .select_from(ParcoursRow)
        .where(portee(u, today), *(where or []))
        .group_by(*colonnes)
    )
    return [tuple(r) for r in (await session.exec(stmt)).all()]  # type: ignore[call-overload]
