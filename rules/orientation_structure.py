"""The rules of orientations towards a structure (rules/orientation_structure.yaml)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field

from rules.chargement import lire_yaml
from schemas.common import Model


class MotifRefus(Model):
    code: str
    libelle: str


class ReglesOrientationStructure(Model):
    version: str
    motifs_refus: list[MotifRefus] = Field(min_length=1)

    def libelle(self, code: str) -> str | None:
        return next((m.libelle for m in self.motifs_refus if m.code == code), None)


@lru_cache(maxsize=1)
def regles_orientation_structure() -> ReglesOrientationStructure:
    return ReglesOrientationStructure.model_validate(lire_yaml("orientation_structure.yaml"))
