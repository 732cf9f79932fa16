"""The équipe de suivi's rules, read from rules/equipe.yaml (data, not code)."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from pydantic import Field

from rules.chargement import lire_yaml
from schemas.common import Model


class ReglesNotes(Model):
    modifiable_minutes: int = Field(ge=0, le=24 * 60)
    longueur_max: int = Field(ge=100, le=20_000)

    @property
    def delai_modification(self) -> timedelta:
        return timedelta(minutes=self.modifiable_minutes)


@lru_cache(maxsize=1)
def regles_notes() -> ReglesNotes:
    return ReglesNotes.model_validate(lire_yaml("equipe.yaml")["notes"])
