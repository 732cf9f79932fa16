"""Importing this module registers every table on SQLModel.metadata."""

from store import (
    audit,
    comptes,
    evenements_partenaires,
    imports,
    indicateurs,
    notifications,
    parcours,
    pieces,
    structures,
)

__all__ = [
    "audit",
    "comptes",
    "evenements_partenaires",
    "imports",
    "indicateurs",
    "notifications",
    "parcours",
    "pieces",
    "structures",
]
