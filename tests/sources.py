"""Reading the project's own source as syntax trees, for the tests that check its structure
(layers, commands, error codes).

CPython 3.11 keeps the depth counter of its AST builder in one interpreter-wide state, not per
thread (python/cpython#106905 and its follow-ups): when another thread of the test process (the
platform's web server, the Temporal worker) builds an AST at the same moment, a parse fails with
« SystemError: AST constructor recursion depth mismatch » although the file is fine. Nothing
is wrong with the file then; the parse is simply tried again."""

from __future__ import annotations

import ast
from pathlib import Path

ESSAIS = 5


def arbre(chemin: Path) -> ast.Module:
    texte = chemin.read_text(encoding="utf-8")
    for essai in range(ESSAIS):
        try:
            return ast.parse(texte, str(chemin))
        except SystemError as erreur:
            if "recursion depth mismatch" not in str(erreur) or essai == ESSAIS - 1:
                raise
    raise AssertionError("inaccessible")  # the loop returns or raises
