"""What a client sends to import a list of people (issue 16, item 2)."""

from __future__ import annotations

from pydantic import Field

from schemas.common import Model
from schemas.parcours import OrigineAccueil


class DemandeImport(Model):
    source: str = Field(
        min_length=1,
        max_length=80,
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        description="Qui envoie la liste (« caf », « cd74 »…) : sa correspondance de colonnes est "
        "proposée la fois suivante",
    )
    nom_fichier: str = Field(
        min_length=1, max_length=200, description="Nom du fichier, .xlsx ou .csv"
    )
    contenu: str = Field(min_length=1, description="Le fichier, encodé en base64")
    correspondance: dict[str, str] | None = Field(
        default=None, description="Champ → en-tête de colonne ; par défaut, proposée"
    )
    origine: OrigineAccueil = OrigineAccueil.CAF
    referent_id: str | None = Field(
        default=None, max_length=80, description="Référent des parcours ouverts"
    )


class Correspondance(Model):
    correspondance: dict[str, str] = Field(description="Champ → en-tête de colonne")


class LotImport(Model):
    """Rows of an import one activity opens or updates, in order."""

    import_id: str
    numeros: list[int]


class ReglesImports(Model):
    """rules/imports.yaml."""

    conservation_lignes_non_retenues_jours: int = Field(ge=1, le=3650)
