"""Importing this module registers every table on SQLModel.metadata."""

from store import (
    agendas,
    audit,
    catalogue,
    comptes,
    connecteurs,
    employeurs,
    equipe,
    evenements_partenaires,
    imports,
    indicateurs,
    lots,
    notifications,
    orientations_structures,
    parcours,
    pieces,
    structures,
)

__all__ = [
    "agendas",
    "audit",
    "catalogue",
    "comptes",
    "connecteurs",
    "employeurs",
    "equipe",
    "evenements_partenaires",
    "imports",
    "indicateurs",
    "lots",
    "notifications",
    "orientations_structures",
    "parcours",
    "pieces",
    "structures",
]
