"""Public contracts with a social insertion clause (issue 24, item 6): the buyer, the holder
company of the directory, the hours of insertion required, the people placed on them and the
hours they did. What is typed; the rows are in store/clauses.py."""

from __future__ import annotations

from datetime import date

from pydantic import Field, field_validator

from schemas.common import Model, Text
from schemas.employeur import siret_normalise


class ClauseSaisie(Model):
    """A contract as the chargé de relation entreprise types it."""

    intitule: Text = Field(description="Objet du marché")
    acheteur: Text = Field(examples=["Commune d'Annecy"])
    siret: str = Field(description="Entreprise titulaire, de l'annuaire")
    code_postal: str = Field(pattern=r"^[0-9]{5}$", description="Lieu d'exécution")
    commune: Text
    heures_exigees: int = Field(gt=0, le=1_000_000)
    debut: date
    fin: date

    @field_validator("siret")
    @classmethod
    def _siret(cls, valeur: str) -> str:
        return siret_normalise(valeur)


class PlacementSaisi(Model):
    parcours_id: str = Field(min_length=1, max_length=80)
    debut: date


class HeuresSaisies(Model):
    """The hours of insertion the person has done on the contract so far (a total)."""

    heures_realisees: float = Field(ge=0, le=100_000)
