"""Finding the parcours an event is about: the partner's identifier in ``subject``, recorded on
exactly one open parcours. None or several: the event waits for a coordinator."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.francais import le
from schemas.evenements import CATALOGUE, CleSujet
from schemas.parcours import Statut
from store.evenements_partenaires import EvenementRecu, StatutReception
from store.parcours import IdentifiantRow, ParcoursRow


async def ouverts_par_valeur(
    session: AsyncSession, cle: str, valeurs: list[str]
) -> dict[str, list[str]]:
    """For each of these values of one identifier, the ids of the open parcours carrying it
    (one query for a whole batch)."""
    rows = await session.exec(
        select(IdentifiantRow.valeur, IdentifiantRow.parcours_id)
        .join(ParcoursRow, col(ParcoursRow.id) == col(IdentifiantRow.parcours_id))
        .where(
            IdentifiantRow.cle == cle,
            col(IdentifiantRow.valeur).in_(valeurs),
            col(ParcoursRow.statut) != Statut.CLOS.value,
        )
        .distinct()
    )
    trouves: dict[str, list[str]] = {}
    for valeur, parcours_id in rows.all():
        trouves.setdefault(valeur, []).append(parcours_id)
    return trouves


async def parcours_ouverts(session: AsyncSession, cle: str, valeur: str) -> list[str]:
    """Ids of the open parcours carrying this identifier."""
    return (await ouverts_par_valeur(session, cle, [valeur])).get(valeur, [])


def mettre_a_rapprocher(row: EvenementRecu, motif: str) -> None:
    row.statut = StatutReception.A_RAPPROCHER.value
    row.parcours_id = None
    row.motif = motif


async def router(session: AsyncSession, row: EvenementRecu) -> None:
    """Set ``row.parcours_id`` when exactly one open parcours matches, else queue the row."""
    await router_lot(session, [row])


async def router_lot(session: AsyncSession, rows: list[EvenementRecu]) -> None:
    """``router`` for many rows: one query per kind of identifier."""
    par_cle: dict[CleSujet, list[EvenementRecu]] = {}
    for row in rows:
        par_cle.setdefault(CATALOGUE[row.type].cle, []).append(row)
    for cle, siens in par_cle.items():
        ouverts = await ouverts_par_valeur(session, cle.value, sorted({r.sujet for r in siens}))
        for row in siens:
            _destiner(row, cle, ouverts.get(row.sujet, []))


def _destiner(row: EvenementRecu, cle: CleSujet, trouves: list[str]) -> None:
    if len(trouves) == 1:
        row.parcours_id = trouves[0]
        return
    quoi = f"{le(cle.label)} « {row.sujet} »"
    if not trouves:
        mettre_a_rapprocher(row, f"Aucun parcours ouvert ne porte {quoi}")
    else:
        mettre_a_rapprocher(row, f"{len(trouves)} parcours ouverts portent {quoi}")
