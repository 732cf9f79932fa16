"""Companies met along the parcours (immersion hosts, employers), identified by SIRET."""

from __future__ import annotations

from pydantic import Field, field_validator

from schemas.common import Model, Text


def siret_valide(siret: str) -> bool:
    """SIRET numbers carry a Luhn check digit (La Poste's establishments excepted)."""
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith("356000000"):
        return sum(int(c) for c in siret) % 5 == 0
    total = 0
    for index, char in enumerate(reversed(siret)):
        digit = int(char) * (2 if index % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


class Entreprise(Model):
    siret: str = Field(pattern=r"^[0-9]{14}$", examples=["73282932000074"])
    raison_sociale: Text
    etablissement: Text = Field(description="Adresse ou nom de l'établissement d'accueil")
    commune: Text

    @field_validator("siret")
    @classmethod
    def _luhn(cls, siret: str) -> str:
        if not siret_valide(siret):
            raise ValueError("Numéro SIRET invalide (clé de contrôle)")
        return siret
