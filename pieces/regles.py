"""The one declaration of the document types and formats: rules/pieces.yaml."""

from __future__ import annotations

from functools import lru_cache

from rules.chargement import lire_yaml
from schemas.pieces import FormatPiece, ReglesPieces, TypePiece


@lru_cache(maxsize=1)
def regles() -> ReglesPieces:
    return ReglesPieces.model_validate(lire_yaml("pieces.yaml"))


def types() -> dict[str, TypePiece]:
    return {t.code: t for t in regles().types}


def formats() -> dict[str, FormatPiece]:
    return {f.type_mime: f for f in regles().formats}


def formats_acceptes() -> str:
    """« PDF, JPEG ou PNG »: for the messages and the form's hint."""
    noms = [f.libelle for f in regles().formats]
    return noms[0] if len(noms) == 1 else f"{', '.join(noms[:-1])} ou {noms[-1]}"
