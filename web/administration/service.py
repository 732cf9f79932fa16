"""The administration of structures and accounts: the one seam that the cockpit's pages, the
JSON API and the command line all call (never a route calling another). Who may do what is
decided in ``perimetre``; each concept has its module, gathered here under one name."""

from __future__ import annotations

from web.administration.comptes import (
    creer_compte,
    jetons,
    journal,
    lister_comptes,
    modifier_compte,
    parcours_detenus,
    revoquer_jeton,
    voir_compte,
    vue_compte,
)
from web.administration.desactivation import (
    desactiver,
    reactiver,
    referents_possibles,
    reinitialiser,
)
from web.administration.perimetre import (
    INTROUVABLE,
    ROLES_ATTRIBUABLES,
    ROLES_DU_PERSONNEL,
    STATUTS,
    compte,
    dans_le_perimetre,
    exiger_administration,
    statut,
)
from web.administration.structures import (
    creer_structure,
    lister_structures,
    modifier_structure,
    structure,
    vue_structure,
)

__all__ = [
    "INTROUVABLE",
    "ROLES_ATTRIBUABLES",
    "ROLES_DU_PERSONNEL",
    "STATUTS",
    "compte",
    "creer_compte",
    "creer_structure",
    "dans_le_perimetre",
    "desactiver",
    "exiger_administration",
    "jetons",
    "journal",
    "lister_comptes",
    "lister_structures",
    "modifier_compte",
    "modifier_structure",
    "parcours_detenus",
    "reactiver",
    "referents_possibles",
    "reinitialiser",
    "revoquer_jeton",
    "statut",
    "structure",
    "voir_compte",
    "vue_compte",
    "vue_structure",
]
