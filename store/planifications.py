"""Health of the platform's Temporal schedules, as the technical watch last saw them.

A schedule whose run cannot finish (its workflow tasks fail for ever) starts nothing again:
with the overlap policy SKIP every later start is skipped, and Temporal says so nowhere a
person looks. That is how every schedule stopped after its first run until the codec was fixed
(stop 29). The technical watch writes here what it finds every two minutes; the coordination's
incidents view and the Prometheus metrics read it. One row per schedule, no personal data.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class SantePlanification(SQLModel, table=True):
    __tablename__ = "sante_planification"

    id: str = Field(primary_key=True, description="Identifiant de la planification Temporal")
    note: str = ""
    derniere_execution: datetime | None = None
    prochaine_execution: datetime | None = None
    bloquee: bool = False
    bloquee_depuis: datetime | None = None
    departs_sautes: int = Field(default=0, description="Départs sautés depuis sa création")
    message: str | None = None
    verifiee_le: datetime
