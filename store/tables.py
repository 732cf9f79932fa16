"""Importing this module registers every table on SQLModel.metadata."""

from store import (
    agendas,
    audit,
    comptes,
    employeurs,
    equipe,
    evenements_partenaires,
    imports,
    indicateurs,
    notifications,
    orientations_structures,
    parcours,
    pieces,
    structures,
)

__all__ = [
    "agendas",
    "audit",
    "comptes",
    "employeurs",
    "equipe",
    "evenements_partenaires",
    "imports",
    "indicateurs",
    "notifications",
    "orientations_structures",
    "parcours",
    "pieces",
    "structures",
]
