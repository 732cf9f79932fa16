"""Finding the parcours an event is about: the partner's identifier in ``subject``, recorded on
exactly one open parcours. None or several: the event waits for a coordinator."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.francais import le
from schemas.evenements import CATALOGUE
from schemas.parcours import Statut
from store.evenements_partenaires import EvenementRecu, StatutReception
from store.parcours import IdentifiantRow, ParcoursRow


async def parcours_ouverts(session: AsyncSession, cle: str, valeur: str) -> list[str]:
    """Ids of the open parcours carrying this identifier."""
    rows = await session.exec(
        select(IdentifiantRow.parcours_id)
        .join(ParcoursRow, col(ParcoursRow.id) == col(IdentifiantRow.parcours_id))
        .where(
            IdentifiantRow.cle == cle,
            IdentifiantRow.valeur == valeur,
            col(ParcoursRow.statut) != Statut.CLOS.value,
        )
        .distinct()
    )
    return list(rows.all())


def mettre_a_rapprocher(row: EvenementRecu, motif: str) -> None:
    row.statut = StatutReception.A_RAPPROCHER.value
    row.parcours_id = None
    row.motif = motif


async def router(session: AsyncSession, row: EvenementRecu) -> None:
    """Set ``row.parcours_id`` when exactly one open parcours matches, else queue the row."""
    cle = CATALOGUE[row.type].cle
    trouves = await parcours_ouverts(session, cle.value, row.sujet)
    if len(trouves) == 1:
        row.parcours_id = trouves[0]
        return
    quoi = f"{le(cle.label)} « {row.sujet} »"
    if not trouves:
        mettre_a_rapprocher(row, f"Aucun parcours ouvert ne porte {quoi}")
    else:
        mettre_a_rapprocher(row, f"{len(trouves)} parcours ouverts portent {quoi}")
