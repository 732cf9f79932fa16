"""The parcours' step handlers, one module per concept, gathered in one registry."""

from __future__ import annotations

from workflows.etapes import (
    actions,
    contrat,
    diagnostic,
    dossier,
    emploi,
    equipe,
    incidents,
    messages,
    orientation,
    orientation_structure,
    pmsmp,
    rdv,
    rdv_solidarites,
    referent,
    sortie,
)
from workflows.etapes.base import Commande

COMMANDES: dict[str, Commande] = {
    **diagnostic.COMMANDES,
    **orientation.COMMANDES,
    **referent.COMMANDES,
    **contrat.COMMANDES,
    **actions.COMMANDES,
    **orientation_structure.COMMANDES,
    **pmsmp.COMMANDES,
    **emploi.COMMANDES,
    **rdv.COMMANDES,
    **rdv_solidarites.COMMANDES,
    **messages.COMMANDES,
    **dossier.COMMANDES,
    **equipe.COMMANDES,
    **incidents.COMMANDES,
    **sortie.COMMANDES,
}
