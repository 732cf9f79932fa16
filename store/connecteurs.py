"""Health of each partner connector (ticket 20, item 7): when it last worked and last failed.

Any connector records its outcome here (``noter``); the coordination's incidents view reads
it beside the backlog of partner events. One row per partner, no personal data.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from store.db import ecriture


class SanteConnecteur(SQLModel, table=True):
    __tablename__ = "sante_connecteur"

    partenaire: str = Field(primary_key=True)
    dernier_succes: datetime | None = None
    dernier_echec: datetime | None = None
    echec: str | None = Field(default=None, description="Message du dernier échec")


async def noter(session: AsyncSession, partenaire: str, echec: str | None = None) -> None:
    """Record a success (``echec`` None) or a failure with its message, and commit."""
    await ecriture(session)
    row = await session.get(SanteConnecteur, partenaire) or SanteConnecteur(partenaire=partenaire)
    if echec is None:
        row.dernier_succes = datetime.now(UTC)
    else:
        row.dernier_echec, row.echec = datetime.now(UTC), echec[:500]
    session.add(row)
    await session.commit()
