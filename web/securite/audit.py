"""Writing and checking the hash-chained audit log (table in store/audit.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from sqlalchemy import text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.audit import GENESE, EntreeAudit
from store.db import ecriture
from web.securite.utilisateur import Utilisateur

# One writer at a time extends the chain: a process lock here, a transaction lock on PostgreSQL.
_VERROU = asyncio.Lock()
_PG_LOCK_ID = 74_2026


async def journaliser(
    session: AsyncSession,
    qui: Utilisateur | None,
    action: str,
    objet: str,
    detail: str = "",
    adresse: str | None = None,
) -> EntreeAudit:
    async with _VERROU:
        await ecriture(session)
        if session.bind is not None and session.bind.dialect.name == "postgresql":
            await session.exec(text(f"SELECT pg_advisory_xact_lock({_PG_LOCK_ID})"))  # type: ignore[call-overload]
        last = (
            await session.exec(select(EntreeAudit).order_by(col(EntreeAudit.id).desc()).limit(1))
        ).first()
        entry = EntreeAudit(
            le=datetime.now(UTC),
            compte_id=qui.id if qui else "anonyme",
            role=qui.role.value if qui else "anonyme",
            action=action,
            objet=objet,
            detail=detail[:500],
            adresse=adresse,
            precedent=last.empreinte if last else GENESE,
            empreinte="",
        )
        entry.empreinte = entry.calculer()
        session.add(entry)
        await session.commit()
        return entry


async def entrees(session: AsyncSession, batch: int = 1000) -> AsyncIterator[EntreeAudit]:
    last_id = 0
    while True:
        rows = (
            await session.exec(
                select(EntreeAudit)
                .where(col(EntreeAudit.id) > last_id)
                .order_by(col(EntreeAudit.id))
                .limit(batch)
            )
        ).all()
        if not rows:
            return
        for row in rows:
            yield row
        last_id = rows[-1].id or last_id


async def verifier_chaine(session: AsyncSession) -> tuple[int, str | None]:
    """(entries checked, first problem or None)."""
    previous, count = GENESE, 0
    async for entry in entrees(session):
        entry.le = entry.le if entry.le.tzinfo else entry.le.replace(tzinfo=UTC)
        if entry.precedent != previous:
            return (
                count,
                f"Entrée {entry.id} : chaînage rompu (entrée précédente supprimée ou modifiée)",
            )
        if entry.calculer() != entry.empreinte:
            return count, f"Entrée {entry.id} : contenu modifié après écriture"
        previous, count = entry.empreinte, count + 1
    return count, None
