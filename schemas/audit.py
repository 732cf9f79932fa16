"""The daily anchor of the audit log, as the anchoring workflow returns it (and so as Temporal
keeps it in that workflow's history, out of reach of the web app and of the database)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from schemas.common import Model


class AncreAudit(Model):
    le: datetime = Field(description="Moment où l'ancre a été lue dans le journal")
    entree_id: int | None = Field(description="Dernière entrée du journal (None : journal vide)")
    empreinte: str = Field(description="Son empreinte (HMAC)")
    entrees: int = Field(description="Entrées vérifiées avant l'ancrage")
    probleme: str | None = Field(
        default=None, description="Altération trouvée en vérifiant le journal avant d'ancrer"
    )
