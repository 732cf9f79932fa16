"""The documents attached to a dossier: what is known of each (type, name, format, size, who
and when); the bytes themselves are encrypted in the document store (pieces/stockage.py).
Written by pieces/ only; deleted, bytes first, by the anonymisation (activities/retention.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class PieceRow(SQLModel, table=True):
    __tablename__ = "piece"

    id: str = Field(primary_key=True)
    parcours_id: str = Field(index=True)
    type: str  # a code of rules/pieces.yaml
    nom_fichier: str  # as sent: it may name the person
    type_mime: str  # read from the bytes
    taille: int
    contrat_numero: int | None = None  # the contract a signed CER belongs to
    cle: str  # where the encrypted bytes are, in the document store
    depose_le: datetime = Field(index=True)
    auteur: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))  # an Acteur
