"""The catalogue of services synchronised from data·inclusion (activities/data_inclusion.py).

One row per service and per structure of the département, the national record kept whole
(``donnees``, schema v1 plus the API's own fields). A service gone from data·inclusion is
archived, never deleted: prescriptions keep their own copy (schemas/action.py) and its row
tells what it was. Until a first synchronisation, the catalogue is the JSON file of
``referentiels/catalogue`` (``make run`` without the connector).

No personal data of the persons followed: these are the structures' public contacts, open
data under the Licence Ouverte."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from data_inclusion.schema.v1 import Service, Structure
from pydantic import ValidationError
from sqlalchemy import JSON, Column, func
from sqlmodel import Field, SQLModel, col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from referentiels import catalogue as fichier
from referentiels.catalogue import Offre


class StructureCatalogueRow(SQLModel, table=True):
    __tablename__ = "catalogue_structure"

    id: str = Field(primary_key=True)  # data·inclusion's « source--id »
    source: str
    nom: str
    date_maj: date
    donnees: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    vu_le: datetime  # the last synchronisation that listed it
    archive_le: datetime | None = None


class ServiceCatalogueRow(SQLModel, table=True):
    __tablename__ = "catalogue_service"

    id: str = Field(primary_key=True)
    source: str
    structure_id: str = Field(index=True)
    nom: str
    date_maj: date
    code_insee: str | None = Field(default=None, index=True)
    latitude: float | None = None
    longitude: float | None = None
    donnees: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    ajoute_le: datetime
    vu_le: datetime
    archive_le: datetime | None = Field(default=None, index=True)


Row = StructureCatalogueRow | ServiceCatalogueRow
MODELES: dict[str, type[Service] | type[Structure]] = {
    "services": Service,
    "structures": Structure,
}


def valider(ressource: str, item: Any) -> Service | Structure | None:
    """The item as the national schema reads it; None when it does not conform."""
    try:
        return MODELES[ressource].model_validate(item)
    except ValidationError:
        return None


async def enregistrer(
    session: AsyncSession, ressource: str, item: dict[str, Any], marque: datetime
) -> str:
    """Add or update one record; the outcome: ``ajoute``, ``mis_a_jour``, ``reapparu``,
    ``inchange`` or ``rejete``. Incremental: an unchanged ``date_maj`` writes only the mark."""
    table: type[Row] = ServiceCatalogueRow if ressource == "services" else StructureCatalogueRow
    lu = valider(ressource, item)
    ident = str(item.get("id", "")) if isinstance(item, dict) else ""
    row: Row | None = await session.get(table, ident) if ident else None
    if lu is None:
        if row is not None:  # a producer's slip must not archive a service we know
            row.vu_le = marque
        return "rejete"
    if row is None:
        session.add(_nouvelle(table, lu, item, marque))
        return "ajoute"
    issue = "reapparu" if row.archive_le else "mis_a_jour" if row.date_maj != lu.date_maj else ""
    row.vu_le = marque
    if not issue:
        return "inchange"
    row.archive_le = None
    _remplir(row, lu, item)
    return issue


def _nouvelle(
    table: type[Row], lu: Service | Structure, item: dict[str, Any], marque: datetime
) -> Row:
    row: Row
    if table is ServiceCatalogueRow:
        row = ServiceCatalogueRow(
            id=lu.id, source=lu.source, structure_id="", nom=lu.nom, date_maj=lu.date_maj,
            donnees={}, ajoute_le=marque, vu_le=marque,
        )  # fmt: skip
    else:
        row = StructureCatalogueRow(
            id=lu.id, source=lu.source, nom=lu.nom, date_maj=lu.date_maj, donnees={}, vu_le=marque
        )
    _remplir(row, lu, item)
    return row


def _remplir(row: Row, lu: Service | Structure, item: dict[str, Any]) -> None:
    row.nom, row.date_maj, row.donnees = lu.nom, lu.date_maj, item
    if isinstance(row, ServiceCatalogueRow) and isinstance(lu, Service):
        row.structure_id, row.code_insee = lu.structure_id, lu.code_insee
        row.latitude, row.longitude = lu.latitude, lu.longitude


async def archiver_absents(session: AsyncSession, marque: datetime, maintenant: datetime) -> int:
    """Archive what a complete synchronisation did not list: the services first (the count
    returned), then the structures."""
    archives = 0
    for table in (ServiceCatalogueRow, StructureCatalogueRow):
        resultat = await session.exec(
            update(table)
            .where(col(table.vu_le) < marque, col(table.archive_le).is_(None))
            .values(archive_le=maintenant)
        )
        if table is ServiceCatalogueRow:
            archives = resultat.rowcount
    return archives


async def synchronise(session: AsyncSession) -> bool:
    """Whether data·inclusion filled the catalogue at least once (else: the JSON fallback)."""
    n = (await session.exec(select(func.count()).select_from(ServiceCatalogueRow))).one()
    return bool(n)


async def offres(session: AsyncSession, *, archives: bool = False) -> list[Offre]:
    """The catalogue's offers: data·inclusion's once synchronised, else the JSON file's."""
    if not await synchronise(session):
        return list(fichier.offres())
    query = select(ServiceCatalogueRow)
    if not archives:
        query = query.where(col(ServiceCatalogueRow.archive_le).is_(None))
    rows = (await session.exec(query)).all()
    structures = await _structures(session, {r.structure_id for r in rows})
    return [_offre(r, structures) for r in rows]


async def par_id(session: AsyncSession, service_id: str) -> Offre | None:
    """One offer, archived or not (the caller decides what an archived one allows)."""
    if not await synchronise(session):
        return fichier.par_id(service_id)
    row = await session.get(ServiceCatalogueRow, service_id)
    if row is None:
        return None
    return _offre(row, await _structures(session, {row.structure_id}))


async def _structures(session: AsyncSession, ids: set[str]) -> dict[str, Structure]:
    rows = (
        await session.exec(
            select(StructureCatalogueRow).where(col(StructureCatalogueRow.id).in_(ids))
        )
    ).all()
    return {r.id: Structure.model_validate(r.donnees) for r in rows}


def _offre(row: ServiceCatalogueRow, structures: dict[str, Structure]) -> Offre:
    service = Service.model_validate(row.donnees)
    structure = structures.get(row.structure_id) or Structure.model_construct(
        id=row.structure_id,
        source=row.source,
        nom="Structure hors du département",  # listed by data·inclusion under another one
        date_maj=row.date_maj,
    )
    return Offre(service, structure, archive_le=row.archive_le)
