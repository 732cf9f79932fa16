"""The parcours' step handlers, one module per concept, gathered in one registry."""

from __future__ import annotations

from workflows.etapes import (
    actions,
    carnet,
    contrat,
    diagnostic,
    dossier,
    emploi,
    equipe,
    incidents,
    invitations,
    messages,
    orientation,
    orientation_structure,
    pmsmp,
    rappels,
    rdv,
    rdv_solidarites,
    referent,
    reservations,
    sessions,
    sortie,
)
from workflows.etapes.base import Commande

# Each module handles its commands (COMMANDES) and declares them (DECLARATIONS).
MODULES = [
    diagnostic,
    orientation,
    referent,
    contrat,
    actions,
    orientation_structure,
    pmsmp,
    emploi,
    rdv,
    invitations,
    reservations,
    sessions,
    rappels,
    rdv_solidarites,
    messages,
    dossier,
    carnet,
    equipe,
    incidents,
    sortie,
]

COMMANDES: dict[str, Commande] = {nom: c for m in MODULES for nom, c in m.COMMANDES.items()}
