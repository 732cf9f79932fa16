"""What the parcours and its child workflows (contrat, PMSMP, emploi) tell each other."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from schemas.common import Acteur, Model
from schemas.contrat import Contrat, RedactionContrat
from schemas.emploi import DeclarationEmbauche, Emploi
from schemas.parcours import Categorie
from schemas.pmsmp import ConventionPmsmp, Pmsmp


class NoteTimeline(Model):
    """A timeline line written by a child; the parcours numbers it into its own timeline."""

    le: date
    categorie: Categorie
    code: str
    libelle: str
    auteur: Acteur
    details: dict[str, str] = Field(default_factory=dict)


class Envoi(Model):
    """A message a child wants sent: the parcours sends it (and turns a failure into an incident)."""

    destinataire: str = Field(
        description="Adresse, ou « compte:<id> » pour un professionnel, "
        "ou « usager » pour la personne"
    )
    sujet: str
    texte: str
    sms: bool = False


class EvolutionContrat(Model):
    contrat: Contrat
    notes: list[NoteTimeline] = Field(default_factory=list)
    envois: list[Envoi] = Field(default_factory=list)


class EvolutionPmsmp(Model):
    pmsmp: Pmsmp
    notes: list[NoteTimeline] = Field(default_factory=list)
    envois: list[Envoi] = Field(default_factory=list)


class EvolutionEmploi(Model):
    emploi: Emploi
    notes: list[NoteTimeline] = Field(default_factory=list)
    envois: list[Envoi] = Field(default_factory=list)


class ContratInput(Model):
    parcours_id: str
    parent_workflow_id: str
    numero: int
    redaction: RedactionContrat
    referent: Acteur
    auteur: Acteur


class PmsmpInput(Model):
    parcours_id: str
    parent_workflow_id: str
    pmsmp_id: str
    convention: ConventionPmsmp
    prescripteur: Acteur
    jours_feries: list[date] = Field(default_factory=list)


class EmploiInput(Model):
    parcours_id: str
    parent_workflow_id: str
    numero: int
    embauche: DeclarationEmbauche
    auteur: Acteur


class Cloture(Model):
    """The parcours asks a child to end (sortie, reorientation)."""

    motif: str
    le: date
    auteur: Acteur
