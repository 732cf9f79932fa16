"""The documents of a dossier (issue 17, item 3): their types and formats (rules/pieces.yaml),
what a client sends to attach one, and what it reads back. The bytes never enter a workflow."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from schemas.common import Acteur, Model


class TypePiece(Model):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    libelle: str = Field(min_length=1)
    rattachable_au_contrat: bool = False


class FormatPiece(Model):
    type_mime: str = Field(min_length=3)
    libelle: str = Field(min_length=1)
    extension: str = Field(pattern=r"^[a-z0-9]+$")


class ReglesPieces(Model):
    types: list[TypePiece] = Field(min_length=1)
    formats: list[FormatPiece] = Field(min_length=1)


class DemandePiece(Model):
    type: str = Field(min_length=1, max_length=40, description="Type de document (`GET …/types`)")
    nom_fichier: str = Field(min_length=1, max_length=200, description="Nom du fichier envoyé")
    contenu: str = Field(min_length=1, description="Le fichier, encodé en base64")
    contrat_numero: int | None = Field(
        default=None, ge=1, description="Numéro du contrat auquel rattacher un CER signé"
    )


class PieceVue(Model):
    id: str
    parcours_id: str
    type: str
    type_libelle: str
    nom_fichier: str
    type_mime: str
    taille: int = Field(description="Taille en octets")
    contrat_numero: int | None = None
    depose_le: datetime
    auteur: Acteur
