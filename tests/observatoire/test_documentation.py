"""docs/indicateurs.md is generated from the indicators' definitions: it must be up to date."""

from __future__ import annotations

from observatoire.catalogue import INDICATEURS
from observatoire.documentation import CHEMIN, generer


def test_la_documentation_des_indicateurs_est_a_jour() -> None:
    assert CHEMIN.read_text(encoding="utf-8") == generer(), (
        "docs/indicateurs.md est périmé : lancez « python -m observatoire.documentation »"
    )


def test_chaque_indicateur_y_est_defini() -> None:
    doc = generer()
    for i in INDICATEURS:
        assert f"### {i.titre}\n\nCode `{i.code}`" in doc
