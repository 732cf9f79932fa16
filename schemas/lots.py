"""Batch files of partners (ticket 20, item 6): a file found in a drop directory, each of its
lines as an internal event (or why it has none), and the report of its import."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from schemas.common import Model


class FichierDepose(Model):
    """A file waiting in a partner's drop directory (what the workflow passes to the import)."""

    partenaire: str
    chemin: str
    nom: str
    empreinte: str = Field(description="SHA-256 du contenu : le même fichier n'est lu qu'une fois")


class LigneEvenement(Model):
    """One line of a file, become the internal event it stands for (a CloudEvent's fields)."""

    numero: int = Field(ge=1, description="Rang dans le fichier (foyer du flux, ligne du CSV)")
    id: str = Field(
        description="Stable : le même fait donne le même identifiant d'un fichier à l'autre"
    )
    type: str
    sujet: str
    survenu_le: datetime
    data: dict[str, Any]
    parcours_connus_seulement: bool = Field(
        default=False,
        description="Sans suite si aucun parcours ouvert ne porte l'identifiant (stock)",
    )


class LigneSansEvenement(Model):
    """A line that gives no event, and why (refused, or a state without an event)."""

    numero: int = Field(ge=1)
    raison: str
    refusee: bool = True


class RapportFichier(Model):
    """What the import of one file did, line by line (counts) — nothing lost in silence."""

    partenaire: str
    nom: str
    empreinte: str
    deja_importe: bool = False
    lues: int = 0
    livrees: int = 0
    a_rapprocher: int = 0
    deja_recues: int = 0
    sans_suite: int = 0
    refusees: int = 0
    lignes: list[LigneSansEvenement] = Field(default_factory=list)
    erreur: str | None = None
