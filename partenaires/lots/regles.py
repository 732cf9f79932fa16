"""The codes and column names of the partners' files, read from rules/fichiers_partenaires.yaml."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

from rules.chargement import lire_yaml


@lru_cache(maxsize=1)
def regles() -> dict[str, Any]:
    return lire_yaml("fichiers_partenaires.yaml")


def identifiant_stable(*parties: str) -> str:
    """The same fact gives the same event id from one file to the next (a monthly flux repeats
    every open dossier): replaying a file, or the next one, doubles nothing. Hashed, so that
    the id carries no identifier of the person."""
    return "lot-" + hashlib.sha256("|".join(parties).encode()).hexdigest()[:40]
