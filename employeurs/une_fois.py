"""A row written once per pair (an offer proposed to a person, a person invited to an event or
placed on a contract). Checking first, then inserting, is not enough when two requests come at
once: both check, both insert. The database's unique constraint is the guarantee; its refusal
is the same 409 in French as the check's."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from employeurs.annuaire import EmployeurRefuse


async def ajouter_une_fois(session: AsyncSession, row: SQLModel, message: str, code: str) -> None:
    """Add and commit ``row`` (in a write transaction already started); a duplicate of the
    unique pair is rolled back and refused with ``message`` (409)."""
    session.add(row)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        raise EmployeurRefuse(409, message, code) from None
