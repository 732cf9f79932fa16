"""The imports' rules: rules/imports.yaml."""

from __future__ import annotations

from functools import lru_cache

from rules.chargement import lire_yaml
from schemas.imports import ReglesImports


@lru_cache(maxsize=1)
def regles() -> ReglesImports:
    return ReglesImports.model_validate(lire_yaml("imports.yaml"))
