"""The layers only lean downwards (issue 21): the worker must be able to run without the web
app's code, the store without the workflows, and core without anything of the project above
schemas. An import the other way round ties a lower layer to a higher one, and the next change
up there breaks, or drags in, the layer below. Every import of every file is read (``ast``),
those inside functions too, so a change that adds one fails here with the file and the import.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.sources import arbre

RACINE = Path(__file__).resolve().parents[2]

# The packages that serve the routes, above the store and the workflows.
SERVICES = frozenset(
    {
        "agendas",
        "employeurs",
        "importation",
        "observatoire",
        "ops",
        "partenaires",
        "pieces",
        "services",
    }
)
HAUT = frozenset({"web", "devstack", "worker"})

# Package (first folder of the file, or the module at the root) → packages it may not import.
# Nothing outside web/ imports web/; core imports nothing above schemas; the store nothing above
# itself.
INTERDITS: dict[str, frozenset[str]] = {
    "core": frozenset({"workflows", "activities", "store", "rules"}) | SERVICES | HAUT,
    "store": frozenset({"workflows", "activities"}) | SERVICES | HAUT,
}
PAR_DEFAUT = frozenset({"web"})
# The top: the web app, the tests, and the demo loader (which creates the demo accounts with
# the web app's password hashing and session tokens).
HORS_COUCHES = frozenset({"web", "tests", "devstack"})


def fichiers() -> Iterator[Path]:
    for chemin in sorted(RACINE.rglob("*.py")):
        relatif = chemin.relative_to(RACINE)
        if relatif.parts[0].startswith(".") or relatif.parts[0] in HORS_COUCHES:
            continue
        yield chemin


def couche(relatif: Path) -> str:
    return relatif.parts[0] if len(relatif.parts) > 1 else relatif.stem


def importations(chemin: Path) -> Iterator[str]:
    # A relative import stays inside its own top-level package: it can never lean on another.
    for noeud in ast.walk(arbre(chemin)):
        if isinstance(noeud, ast.Import):
            yield from (alias.name for alias in noeud.names)
        elif isinstance(noeud, ast.ImportFrom) and noeud.module and noeud.level == 0:
            yield noeud.module


def a_rebours() -> set[tuple[str, str]]:
    trouvees = set()
    for chemin in fichiers():
        relatif = chemin.relative_to(RACINE)
        interdits = INTERDITS.get(couche(relatif), PAR_DEFAUT)
        for module in importations(chemin):
            if module.split(".")[0] in interdits:
                trouvees.add((relatif.as_posix(), module))
    return trouvees


def test_aucune_importation_a_rebours() -> None:
    nouvelles = sorted(a_rebours())
    assert not nouvelles, "importations à rebours :\n" + "\n".join(
        f"{fichier} importe {module}" for fichier, module in nouvelles
    )


def test_le_lecteur_voit_les_importations_dans_une_fonction(tmp_path: Path) -> None:
    source = tmp_path / "exemple.py"
    source.write_text("def f() -> None:\n    from web.app import app\n", encoding="utf-8")
    assert list(importations(source)) == ["web.app"]
