"""An error code that several modules write is declared once, in ``schemas.erreurs.CodeErreur``
(issue 21): a bare ``"donnees_invalides"`` in application code fails here, so a typo cannot
make a new code that clients do not know."""

from __future__ import annotations

import ast
from pathlib import Path

from schemas.erreurs import CodeErreur
from tests.sources import arbre

RACINE = Path(__file__).resolve().parents[2]
# The application's code; the simulator is a fake partner, with its own words.
DOSSIERS = (
    "activities",
    "core",
    "employeurs",
    "observatoire",
    "ops",
    "partenaires",
    "pieces",
    "rules",
    "schemas",
    "services",
    "store",
    "web",
    "workflows",
)
DECLARATION = RACINE / "schemas" / "erreurs.py"


def _codes_nus() -> list[str]:
    codes = {c.value for c in CodeErreur}
    trouves = []
    for dossier in DOSSIERS:
        for f in sorted((RACINE / dossier).rglob("*.py")):
            if f == DECLARATION:
                continue
            for noeud in ast.walk(arbre(f)):
                if isinstance(noeud, ast.Constant) and noeud.value in codes:
                    trouves.append(f"{f.relative_to(RACINE)}:{noeud.lineno} {noeud.value}")
    return trouves


def test_aucun_code_d_erreur_declare_n_est_ecrit_en_chaine_nue() -> None:
    assert _codes_nus() == []


def test_les_codes_sont_les_chaines_d_avant() -> None:
    """The members are the strings clients and saved histories already hold."""
    assert str(CodeErreur.DONNEES_INVALIDES) == "donnees_invalides"
    assert f"{CodeErreur.COMMANDE_REFUSEE}" == "commande_refusee"
    assert all(c.value == c.name.lower() for c in CodeErreur)
