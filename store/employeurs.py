"""The employers' directory and their offers (issue 24). Written by employeurs/ only.

Companies are not people, but their contacts are: a contact row is personal data, erased by
the retention (activities/retention.py) once the company has been quiet past the delay."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class EntrepriseRow(SQLModel, table=True):
    __tablename__ = "entreprise"

    siret: str = Field(primary_key=True)  # one row per establishment: no duplicate by SIRET
    nom: str = Field(index=True)
    naf: str | None = None  # « 86.10Z »
    adresse: str | None = None
    code_postal: str | None = None
    commune: str | None = None
    commune_insee: str | None = None
    bassin: str | None = Field(default=None, index=True)  # None outside Haute-Savoie
    latitude: float | None = None  # from the national directory, for distances
    longitude: float | None = None
    origine: str  # OrigineEntreprise
    label_inclusif_le: date | None = None
    label_inclusif_par: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    cree_le: datetime
    mis_a_jour: datetime


class ContactEntrepriseRow(SQLModel, table=True):
    __tablename__ = "contact_entreprise"

    id: str = Field(primary_key=True)
    siret: str = Field(index=True, foreign_key="entreprise.siret")
    nom: str
    fonction: str | None = None
    telephone: str | None = None
    email: str | None = None
    cree_le: datetime


class OffreRow(SQLModel, table=True):
    __tablename__ = "offre"

    id: str = Field(primary_key=True)
    # None for an offer of France Travail that did not give its employer's SIRET, until a
    # chargé de relation entreprise attaches it to a company of the directory
    siret: str | None = Field(default=None, index=True, foreign_key="entreprise.siret")
    entreprise_nom: str | None = None  # the company's name as France Travail gives it
    intitule: str
    code_rome: str = Field(index=True)
    code_postal: str
    commune: str
    commune_insee: str | None = None
    bassin: str | None = Field(default=None, index=True)
    type_contrat: str
    heures_hebdomadaires: float | None = None
    horaires: str | None = None
    permis_requis: bool = False
    horaires_decales: bool = False
    inclusive: bool = False
    statut: str = Field(index=True)  # StatutOffre
    source: str  # SourceOffre
    reference_externe: str | None = Field(default=None, unique=True)  # France Travail's id
    cree_par: str
    cree_le: datetime
    mis_a_jour: datetime


class VivierRow(SQLModel, table=True):
    """A person in the pool of people ready to work: personal data, deleted with the
    parcours' anonymisation (activities/retention.py)."""

    __tablename__ = "vivier"

    parcours_id: str = Field(primary_key=True, foreign_key="parcours.id")
    territoire: str = Field(index=True)
    referent_id: str | None = None
    commune: str
    pret: bool
    consentement: bool
    projets: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    permis_b: bool = False
    vehicule: bool = False
    distance_max_km: int = 20
    creneaux: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    mis_a_jour: datetime


class PropositionRow(SQLModel, table=True):
    """An offer proposed to a person of the pool: the chargé de relation entreprise proposes,
    the référent tells the person and records what came of it. Deleted with the parcours'
    anonymisation."""

    __tablename__ = "proposition"
    # once per offer and person, said by the database too: two requests at once cannot both
    # write it (employeurs/propositions.py turns the refusal into a 409)
    __table_args__ = (
        UniqueConstraint("offre_id", "parcours_id", name="uq_proposition_offre_parcours"),
    )

    id: str = Field(primary_key=True)
    offre_id: str = Field(index=True, foreign_key="offre.id")
    parcours_id: str = Field(index=True, foreign_key="parcours.id")
    statut: str = Field(index=True)  # StatutProposition
    raisons: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    propose_par: str
    cree_le: datetime
    mis_a_jour: datetime
