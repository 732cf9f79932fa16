"""Importing this module registers every table on SQLModel.metadata."""

from store import (
    agendas,
    audit,
    comptes,
    evenements_partenaires,
    imports,
    indicateurs,
    notifications,
    parcours,
    structures,
)

__all__ = [
    "agendas",
    "audit",
    "comptes",
    "evenements_partenaires",
    "imports",
    "indicateurs",
    "notifications",
    "parcours",
    "structures",
]
