"""Batch files of partners (CAF/MSA flux, France Travail extracts) once imported: one report
per file, found again by the file's SHA-256 so that the same file dropped twice is read once.

No personal data: counts, line numbers and reasons (written so that they name no value of
the line), the file's name as the partner gave it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class FichierImporte(SQLModel, table=True):
    __tablename__ = "fichier_partenaire"

    empreinte: str = Field(primary_key=True, description="SHA-256 du contenu")
    partenaire: str = Field(index=True)
    nom: str
    importe_le: datetime = Field(index=True)
    lues: int = 0
    livrees: int = 0  # new events routed to one open parcours
    a_rapprocher: int = 0  # new events no open parcours claims: the coordination's queue
    deja_recues: int = 0  # the same fact already received (by this file or an earlier one)
    sans_suite: int = 0  # a state the catalogue has no event for (e.g. a pending request)
    refusees: int = 0
    # [{"ligne": n, "raison": "…"}] for each refused line (and each line without effect)
    lignes: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    erreur: str | None = Field(default=None, description="Fichier illisible : pourquoi")
