"""Importing this module registers every table on SQLModel.metadata."""

from store import (
    audit,
    comptes,
    employeurs,
    evenements_partenaires,
    imports,
    indicateurs,
    notifications,
    parcours,
    structures,
)

__all__ = [
    "audit",
    "comptes",
    "employeurs",
    "evenements_partenaires",
    "imports",
    "indicateurs",
    "notifications",
    "parcours",
    "structures",
]
