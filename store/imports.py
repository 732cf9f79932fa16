"""Imports of lists of people (CAF, département): the file's rows, what each will do and what
it did, and the column mapping each source last used. Written by importation/ only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class ImportRow(SQLModel, table=True):
    __tablename__ = "import_personnes"

    id: str = Field(primary_key=True)
    source: str = Field(index=True)
    nom_fichier: str
    territoire: str | None = Field(default=None, index=True)  # the importing coordinator's
    auteur: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))  # an Acteur
    referent_id: str | None = None
    origine: str = "caf"  # OrigineAccueil of the parcours it opens
    correspondance: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))
    entetes: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    # apercu → en_cours → termine
    statut: str = Field(index=True)
    cree_le: datetime
    termine_le: datetime | None = None


class ImportLigneRow(SQLModel, table=True):
    """One row of the file. ``action`` is decided at preview; ``resultat`` is written once the
    workflow has done it (None until then: what is left to do after a restart)."""

    __tablename__ = "import_ligne"

    import_id: str = Field(primary_key=True, foreign_key="import_personnes.id")
    numero: int = Field(primary_key=True)  # row number in the file (2 = first after headers)
    brut: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))
    accueil: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    cle_identite: str | None = Field(default=None, index=True)
    # HMAC of the row's NIR (importation/nir.py), never the NIR: how a later list finds the
    # person again; ``brut`` holds the same sealed value in the NIR's column.
    nir_empreinte: str | None = Field(default=None, index=True)
    action: str  # ouvrir | mettre_a_jour | deja_connu | rejetee
    erreurs: list[dict[str, str]] = Field(default_factory=list, sa_column=Column(JSON))
    remarques: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    parcours_id: str | None = Field(default=None, index=True)
    resultat: str | None = None  # ouvert | mis_a_jour | deja_connu | rejetee | echec
    message: str | None = None


class CorrespondanceRow(SQLModel, table=True):
    """The mapping (field → column header) last confirmed for a source, proposed next time."""

    __tablename__ = "import_correspondance"

    source: str = Field(primary_key=True)
    correspondance: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))
    mis_a_jour: datetime
