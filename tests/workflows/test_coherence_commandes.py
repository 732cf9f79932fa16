"""One command, one declaration (issue 21): what is declared next to a handler is the whole
command. Every declared command has its handler (and every handler its declaration), a French
label and a group of the cockpit, a row in the rights matrix, and a behavioural test that gives
it; every phase is reachable from the accueil and can reach the sortie, and every phase a
command declares it leads to is an edge of the graph."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from temporalio.workflow import _Definition

from schemas.parcours import Phase
from tests.securite.matrice import lignes as matrice
from tests.sources import arbre
from workflows.contrat import ContratWorkflow
from workflows.declaration import GROUPES, PAR_LIEN, Cible
from workflows.emploi import SuiviEmploiWorkflow
from workflows.etapes import COMMANDES
from workflows.phases import GRAPHE
from workflows.pmsmp import PmsmpWorkflow
from workflows.transitions import TRANSITIONS

TESTS = Path(__file__).resolve().parents[1]
ENFANTS = {
    Cible.CONTRAT: ContratWorkflow,
    Cible.PMSMP: PmsmpWorkflow,
    Cible.EMPLOI: SuiviEmploiWorkflow,
}
# Sends every command to a closed parcours, where each is refused before its handler runs.
PAS_DES_TESTS_DE_COMPORTEMENT = ("securite/matrice/", "securite/corps.py")
# Given from the person's page of the link (/rdv/{secret}), which names no command.
PAR_LEUR_PAGE = {
    "reserver_rdv": "agendas/test_rdv_modifie.py",
    "deplacer_rdv": "agendas/test_rdv_modifie.py",
    "annuler_rdv": "agendas/test_rdv_modifie.py",
    # the organiser's, from the routes of a collective session
    "noter_presence_session": "agendas/test_sessions_collectives.py",
    "annuler_rdv_session": "agendas/test_sessions_collectives.py",
    "desinscrire_session": "agendas/test_sessions_collectives.py",
}
# The page of the link that gives each command no account gives (its row of the matrix).
ROUTES_PAR_LIEN = {
    "reserver_rdv": "/rdv/{jeton}",
    "deplacer_rdv": "/rdv/{jeton}",
    "annuler_rdv": "/rdv/{jeton}/annuler",
    "repondre_orientation": "/orientation/{jeton}",
    "noter_presence_session": "/api/v1/sessions-collectives/{session_id}/presences",
    "annuler_rdv_session": "/api/v1/sessions-collectives/{session_id}/annulation",
    "desinscrire_session": "/api/v1/sessions-collectives/{session_id}/inscriptions/{inscription_id}",
}
# A command given by another method than POST (a withdrawal deletes the registration).
METHODES = {"desinscrire_session": "DELETE"}


def _gestionnaires(cible: Cible) -> set[str]:
    if cible == Cible.PARCOURS:
        return set(COMMANDES)
    return {n for n in _Definition.must_from_class(ENFANTS[cible]).updates if n}


def test_chaque_commande_declaree_a_son_gestionnaire_et_inversement() -> None:
    sans = sorted(n for n, t in TRANSITIONS.items() if n not in _gestionnaires(t.cible))
    assert not sans, f"déclarées sans gestionnaire : {sans}"
    declarees = {n for n, t in TRANSITIONS.items() if t.cible == Cible.PARCOURS}
    assert set(COMMANDES) == declarees
    for cible in ENFANTS:
        faites = {n for n, t in TRANSITIONS.items() if t.cible == cible}
        assert _gestionnaires(cible) == faites, cible


def test_chaque_commande_a_un_libelle_et_un_groupe_du_cockpit() -> None:
    for nom, t in TRANSITIONS.items():
        assert t.libelle[:1].isupper(), nom
        assert len(t.libelle) > 8, nom
        assert t.groupe in GROUPES, nom
        assert t.phases, nom


def test_chaque_commande_a_sa_ligne_dans_la_matrice_des_droits() -> None:
    for nom, t in TRANSITIONS.items():
        route = (
            ROUTES_PAR_LIEN[nom]
            if t.qui <= PAR_LIEN
            else f"/api/v1/parcours/{{parcours_id}}/{nom.replace('_', '-')}"
        )
        methode = METHODES.get(nom, "POST")
        assert (methode, route) in matrice.LIGNES, f"« {nom} » : aucune ligne {methode} {route}"


def _chaines(chemin: Path) -> Iterator[str]:
    for noeud in ast.walk(arbre(chemin)):
        if isinstance(noeud, ast.Constant) and isinstance(noeud.value, str):
            yield noeud.value


def _nommees_par_les_tests() -> set[str]:
    """The commands a behavioural test gives: by name, or by their API or cockpit route."""
    routes = {f"/{n.replace('_', '-')}": n for n in TRANSITIONS} | {
        f"/commandes/{n}": n for n in TRANSITIONS
    }
    trouvees: set[str] = set()
    for chemin in TESTS.rglob("test_*.py"):
        relatif = chemin.relative_to(TESTS).as_posix()
        if relatif.startswith(PAS_DES_TESTS_DE_COMPORTEMENT) or chemin == Path(__file__):
            continue
        for texte in _chaines(chemin):
            if texte in TRANSITIONS:
                trouvees.add(texte)
            trouvees |= {n for route, n in routes.items() if texte.endswith(route)}
    return trouvees


def test_chaque_commande_est_donnee_par_un_test_de_comportement() -> None:
    for nom, fichier in PAR_LEUR_PAGE.items():
        assert (TESTS / fichier).is_file(), nom
    sans = sorted(set(TRANSITIONS) - _nommees_par_les_tests() - set(PAR_LEUR_PAGE))
    assert not sans, f"commandes qu'aucun test de comportement ne donne : {sans}"


def _atteintes(depart: Phase, suivantes: dict[Phase, set[Phase]]) -> set[Phase]:
    vues, a_voir = {depart}, [depart]
    while a_voir:
        for p in suivantes[a_voir.pop()] - vues:
            vues.add(p)
            a_voir.append(p)
    return vues


def test_toute_phase_est_atteignable_et_peut_mener_a_la_sortie() -> None:
    assert set(GRAPHE) == set(Phase)
    avant = {p: set(GRAPHE[p]) for p in Phase}
    arriere: dict[Phase, set[Phase]] = {p: set() for p in Phase}
    for de, suites in GRAPHE.items():
        for vers in suites:
            arriere[vers].add(de)
    assert _atteintes(Phase.ACCUEIL, avant) == set(Phase)
    assert _atteintes(Phase.SORTIE, arriere) == set(Phase)
    assert not GRAPHE[Phase.SORTIE]  # closed is closed


def test_la_phase_ou_mene_une_commande_est_dans_le_graphe() -> None:
    for nom, t in TRANSITIONS.items():
        if t.vers is not None:
            depuis = sorted(p.value for p in t.phases if p != t.vers and t.vers in GRAPHE[p])
            assert depuis, f"« {nom} » mène en phase « {t.vers.label} », d'aucune de ses phases"
