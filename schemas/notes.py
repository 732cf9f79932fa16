"""Notes of the équipe de suivi: written by any member, dated and authored, visible to the
whole team or to the référent only, editable for a short while (rules/equipe.yaml) and then
only amendable. A note is not a contact with the person: it resets no rupture rule."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from schemas.common import LabelledEnum, Model


class Visibilite(LabelledEnum):
    EQUIPE = "equipe", "Toute l'équipe"
    REFERENT = "referent", "Le référent seul"


TexteNote = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class NouvelleNote(Model):
    texte: TexteNote = Field(description="Texte de la note")
    visibilite: Visibilite = Visibilite.EQUIPE
    destinataire_id: str | None = Field(
        default=None,
        max_length=80,
        description="Un membre de l'équipe (ou le référent) à qui la note est adressée : il en "
        "est notifié",
    )


class ModificationNote(Model):
    texte: TexteNote = Field(description="Nouveau texte (pendant le délai de modification)")


class Amendement(Model):
    texte: TexteNote = Field(description="Texte de l'amendement")


class NoteVue(Model):
    id: str
    parcours_id: str
    auteur_id: str
    auteur_nom: str
    auteur_structure: str
    ecrite_le: datetime
    modifiee_le: datetime | None
    texte: str
    visibilite: Visibilite
    visibilite_libelle: str
    amende: str | None = Field(description="La note que celle-ci amende")
    destinataire_id: str | None
    modifiable: bool = Field(description="Son auteur peut encore la corriger")
