"""Orientation: the rules' proposal, the human decision beside it, and reorientation."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from schemas.champ import ChampInvalide
from schemas.common import Acteur, LabelledEnum, LongText, Model, Organisme


class TypeOrientation(LabelledEnum):
    SOCIALE = "sociale", "Sociale"
    SOCIO_PROFESSIONNELLE = "socio_professionnelle", "Socio-professionnelle"
    PROFESSIONNELLE = "professionnelle", "Professionnelle"


class PropositionOrientation(Model):
    """What the orientation rules propose, and why (the rule's French label)."""

    type: TypeOrientation
    organisme: Organisme
    regle_code: str
    regle_libelle: str
    version_regles: str
    calculee_le: date


class DecisionOrientation(Model):
    """The référent's (or the commission's) decision. It may differ from the proposal,
    but then a reason is required."""

    decidee_le: date
    type: TypeOrientation
    organisme: Organisme
    referent_id: str = Field(min_length=1, max_length=80, description="Référent unique désigné")
    motif_ecart: LongText = Field(
        default="", description="Obligatoire quand la décision diffère de la proposition"
    )


class DecisionOrientationResolue(DecisionOrientation):
    """The decision as the workflow receives it: the web app resolved the référent's account."""

    referent: Acteur


class OrientationDecidee(Model):
    """A decision as recorded in the parcours: the decision, the proposal it answered."""

    decision: DecisionOrientation
    proposition: PropositionOrientation | None
    referent: Acteur
    conforme: bool


class DemandeReorientation(Model):
    demandee_le: date
    motif: LongText = Field(min_length=5)

    @model_validator(mode="after")
    def _motif_present(self) -> DemandeReorientation:
        if not self.motif.strip():
            raise ChampInvalide("motif", "Le motif de la réorientation est obligatoire")
        return self
