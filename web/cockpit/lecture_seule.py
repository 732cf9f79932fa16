"""A parcours page while Temporal cannot be reached: the dossier as the read model last saw
it (the state the worker projected, and its timeline), shown read-only under a banner. The
commands come back with Temporal; until then their routes answer the existing 503."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from schemas.erreurs import CodeErreur
from schemas.parcours import EvenementTimeline, ParcoursState
from store.parcours import EvenementRow, ParcoursRow

INDISPONIBLE = (CodeErreur.TEMPORAL_INDISPONIBLE, "etat_illisible")


async def etat_projete(
    session: AsyncSession, parcours_id: str
) -> tuple[ParcoursState, datetime] | None:
    """The projected state with its timeline, and when it was projected; None if the read
    model does not hold this parcours (or holds only what anonymisation left)."""
    row = await session.get(ParcoursRow, parcours_id)
    if row is None or row.anonymise or not row.etat:
        return None
    lignes = (
        await session.exec(
            select(EvenementRow)
            .where(EvenementRow.parcours_id == parcours_id)
            .order_by(col(EvenementRow.seq))
        )
    ).all()
    timeline = [
        EvenementTimeline.model_validate(
            {
                "seq": e.seq,
                "enregistre_le": e.enregistre_le,
                "le": e.le,
                "categorie": e.categorie,
                "code": e.code,
                "libelle": e.libelle,
                "auteur": {"id": e.auteur_id, "nom": e.auteur_nom, "role": e.auteur_role},
                "details": e.details,
                "sensible": e.sensible,
            }
        )
        for e in lignes
    ]
    etat = ParcoursState.model_validate({**row.etat, "timeline": timeline})
    return etat, row.mis_a_jour
