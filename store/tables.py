"""Importing this module registers every table on SQLModel.metadata."""

from store import (
    audit,
    comptes,
    equipe,
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
    "equipe",
    "evenements_partenaires",
    "imports",
    "indicateurs",
    "notifications",
    "parcours",
    "pieces",
    "structures",
]
