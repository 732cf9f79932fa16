"""The read model of the parcours: one row per parcours plus the lists the cockpit filters on.
Written only by the projection activity; rebuilt from Temporal at any time."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper
from sqlmodel import Field, SQLModel

LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def nom_normalise(texte: str) -> str:
    """A name as a person may type it in any way: « Jean-Pierre d'Aléo », « JEAN PIERRE
    DALEO » and « jean‑pierre  d aleo » give the same letters (no accents, case, spaces,
    hyphens or apostrophes)."""
    decompose = unicodedata.normalize("NFKD", texte.casefold())
    lettres = "".join(c for c in decompose if not unicodedata.combining(c) and c.isalnum())
    return lettres.translate(LIGATURES)  # « Bœuf » is typed « Boeuf » as often


def cle_identite(nom: str, prenom: str, date_naissance: date) -> str:
    """What the accueil's duplicate check compares, exactly (an index, never a LIKE)."""
    return f"{nom_normalise(nom)}|{nom_normalise(prenom)}|{date_naissance.isoformat()}"


class ParcoursRow(SQLModel, table=True):
    __tablename__ = "parcours"
    __table_args__ = (
        # the coordination's counters and lists read these columns only (see docs/bench.md)
        Index("ix_parcours_territoire_statut", "territoire", "statut", "organisme", "phase"),
        Index("ix_parcours_phase_statut", "phase", "statut"),
    )

    id: str = Field(primary_key=True)
    version: int
    reference: str = Field(index=True)
    nom: str = Field(index=True)
    prenom: str
    date_naissance: date
    # Set from the three columns above on every write (see _tenir_la_cle below).
    cle_identite: str | None = Field(default=None, index=True)
    commune: str
    territoire: str = Field(index=True)
    organisme: str | None = Field(default=None, index=True)
    referent_id: str | None = Field(default=None, index=True)
    referent_nom: str | None = None
    transfert_vers_id: str | None = Field(default=None, index=True)
    phase: str = Field(index=True)
    phase_depuis: date
    statut: str = Field(index=True)
    motifs: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    prochaine_echeance: date | None = None
    prochaine_echeance_libelle: str | None = None
    prochain_rdv: datetime | None = None
    derniere_interaction: date
    incidents_ouverts: int = 0
    ouvert_le: date = Field(index=True)
    clos_le: date | None = None
    sortie_motif: str | None = None
    sortie_positive: bool | None = None
    anonymise: bool = False
    etat: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    mis_a_jour: datetime


@event.listens_for(ParcoursRow, "before_insert")
@event.listens_for(ParcoursRow, "before_update")
def _tenir_la_cle(_: Mapper[Any], __: Connection, row: ParcoursRow) -> None:
    """The key follows the name wherever the row is written (projection, rebuild,
    anonymisation), so no writer can forget it."""
    row.cle_identite = cle_identite(row.nom, row.prenom, row.date_naissance)


class AlerteRow(SQLModel, table=True):
    __tablename__ = "parcours_alerte"
    __table_args__ = (Index("ix_alerte_territoire_code", "territoire", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    parcours_id: str = Field(index=True, foreign_key="parcours.id")
    code: str
    cle: str
    libelle: str
    severite: str
    depuis: date
    echeance: date | None = None
    territoire: str
    organisme: str | None = None
    referent_id: str | None = None


class IncidentRow(SQLModel, table=True):
    __tablename__ = "incident"

    id: str = Field(primary_key=True)
    parcours_id: str = Field(index=True, foreign_key="parcours.id")
    territoire: str = Field(index=True)
    partenaire: str = Field(index=True)
    operation: str
    message: str
    definitif: bool
    tentatives: int
    premiere_erreur: datetime
    derniere_erreur: datetime
    statut: str = Field(index=True)
    resolution: str | None = None


class IdentifiantRow(SQLModel, table=True):
    """How partner events find their parcours: (kind, value) → parcours."""

    __tablename__ = "identifiant_partenaire"

    cle: str = Field(primary_key=True)
    valeur: str = Field(primary_key=True)
    parcours_id: str = Field(primary_key=True, foreign_key="parcours.id")


class EvenementRow(SQLModel, table=True):
    """The business timeline, copied for lists, exports and indicators."""

    __tablename__ = "parcours_evenement"

    parcours_id: str = Field(primary_key=True, foreign_key="parcours.id")
    seq: int = Field(primary_key=True)
    enregistre_le: datetime
    le: date = Field(index=True)
    categorie: str = Field(index=True)
    code: str = Field(index=True)
    libelle: str
    auteur_id: str
    auteur_nom: str
    auteur_role: str
    details: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))
    sensible: bool = False


class PhaseRow(SQLModel, table=True):
    """Each stay of a parcours in a phase: time spent per phase, cohorts."""

    __tablename__ = "parcours_phase"

    parcours_id: str = Field(primary_key=True, foreign_key="parcours.id")
    ordre: int = Field(primary_key=True)
    phase: str = Field(index=True)
    du: date
    au: date | None = None


class AccesRow(SQLModel, table=True):
    """Who may read a parcours besides its référent: former référent (30 days), pending transfer."""

    __tablename__ = "parcours_acces"

    parcours_id: str = Field(primary_key=True, foreign_key="parcours.id")
    compte_id: str = Field(primary_key=True, index=True)
    jusqu_au: date | None = None
    motif: str


class AccesUsagerRow(SQLModel, table=True):
    """The person's links to their carnet (only the SHA-256 of the secret)."""

    __tablename__ = "acces_usager"

    empreinte: str = Field(primary_key=True)
    parcours_id: str = Field(index=True, foreign_key="parcours.id")
    expire_le: date
    revoque: bool = False
