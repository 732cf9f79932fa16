"""The rules of appointments (rules/rendez_vous.yaml): motifs, invitations, delays."""

from __future__ import annotations

from functools import lru_cache

from rules.chargement import lire_yaml
from schemas.agenda import ReglesRendezVous


@lru_cache(maxsize=1)
def regles_rendez_vous() -> ReglesRendezVous:
    return ReglesRendezVous.model_validate(lire_yaml("rendez_vous.yaml"))
