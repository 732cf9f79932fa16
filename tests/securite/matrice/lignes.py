"""Every row of the matrix: the ``LIGNES`` of every family's file. What the completeness test
and the commands' coherence test (tests/workflows/test_coherence_commandes.py) read."""

from __future__ import annotations

from tests.securite.matrice import (
    test_administration,
    test_agendas,
    test_cockpit,
    test_commandes,
    test_coordination,
    test_documents,
    test_entreprises,
    test_equipe,
    test_evenements_employeurs,
    test_notifications,
    test_observatoire,
    test_orientation,
    test_parcours,
    test_partenaires,
    test_publiques,
)
from tests.securite.matrice.commun import Lignes, Route

# A new family's file is named here, or its routes are « sans ligne » for test_completude.py.
FAMILLES: dict[str, Lignes] = {
    module.__name__.rsplit(".", 1)[1]: module.LIGNES
    for module in (
        test_publiques,
        test_parcours,
        test_commandes,
        test_cockpit,
        test_coordination,
        test_observatoire,
        test_administration,
        test_partenaires,
        test_documents,
        test_entreprises,
        test_evenements_employeurs,
        test_equipe,
        test_notifications,
        test_agendas,
        test_orientation,
    )
}
LIGNES: Lignes = {route: cas for lignes in FAMILLES.values() for route, cas in lignes.items()}


def en_double() -> dict[Route, list[str]]:
    """The routes whose rows are in more than one file: one route, one family."""
    familles: dict[Route, list[str]] = {}
    for famille, lignes in FAMILLES.items():
        for route in lignes:
            familles.setdefault(route, []).append(famille)
    return {route: noms for route, noms in familles.items() if len(noms) > 1}
