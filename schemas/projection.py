"""What the parcours workflow sends to the read model, and the rules/orientation requests."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from schemas.common import Model
from schemas.diagnostic import Diagnostic
from schemas.parcours import EvenementTimeline, ParcoursState


class Projection(Model):
    """A snapshot to upsert. ``etat.version`` orders writes: an older one never wins."""

    etat: ParcoursState = Field(description="État sans le fil (envoyé à part) ni les règles")
    evenements: list[EvenementTimeline]
    prochaine_echeance: date | None = None
    prochaine_echeance_libelle: str | None = None


class DemandeProposition(Model):
    diagnostic: Diagnostic
    date_naissance: date


class ChargementRegles(Model):
    territoire: str
    annee: int
