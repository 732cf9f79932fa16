"""Contrat d'engagement: the reciprocal contract signed by the person and the référent."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import Field, model_validator

from schemas.champ import ChampInvalide
from schemas.common import Acteur, LabelledEnum, LongText, Model, Text
from schemas.diagnostic import Frein
from schemas.metier import CodeRomeFacultatif

DUREE_MIN_MOIS = 3
DUREE_MAX_MOIS = 12
REVUE_AVANT_FIN_JOURS = 30


class TypeContrat(LabelledEnum):
    CER = "cer", "Contrat d'engagement réciproque (CER)"
    PPAE = "ppae", "Projet personnalisé d'accès à l'emploi (PPAE)"
    CEJ = "cej", "Contrat d'engagement jeune (CEJ)"
    PACEA = "pacea", "Parcours contractualisé d'accompagnement vers l'emploi et l'autonomie (PACEA)"


class EtatContrat(LabelledEnum):
    BROUILLON = "brouillon", "En cours de rédaction"
    EN_SIGNATURE = "en_signature", "Signé en partie"
    ACTIF = "actif", "Actif"
    A_REVOIR = "a_revoir", "Revue à faire"
    SUSPENDU = "suspendu", "Suspendu (manquement)"
    TERMINE = "termine", "Terminé"
    RESILIE = "resilie", "Résilié"


class StatutObjectif(LabelledEnum):
    NON_ABORDE = "non_aborde", "Non abordé"
    EN_COURS = "en_cours", "En cours"
    REALISE = "realise", "Réalisé"
    ABANDONNE = "abandonne", "Abandonné"


class Objectif(Model):
    libelle: Text
    frein: Frein | None = None
    statut: StatutObjectif = StatutObjectif.NON_ABORDE
    # The métier the objective aims at, when it aims at one: the pool's fiche proposes it
    # (employeurs/depuis_le_parcours.py) instead of guessing a métier from the words.
    code_rome: CodeRomeFacultatif = None


class Signataire(LabelledEnum):
    USAGER = "usager", "La personne accompagnée"
    REFERENT = "referent", "Le référent"


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later (clamped to the month's end), as contracts count months."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def verifier_duree(debut: date, fin: date) -> None:
    if fin <= debut:
        raise ChampInvalide("date_fin", "La date de fin doit être postérieure à la date de début")
    if fin < add_months(debut, DUREE_MIN_MOIS):
        raise ChampInvalide("date_fin", f"Un contrat dure au moins {DUREE_MIN_MOIS} mois")
    if fin > add_months(debut, DUREE_MAX_MOIS):
        raise ChampInvalide("date_fin", f"Un contrat dure au plus {DUREE_MAX_MOIS} mois")


class RedactionContrat(Model):
    type: TypeContrat
    date_debut: date
    date_fin: date
    objectifs: list[Objectif] = Field(min_length=1, max_length=12)
    engagements_usager: LongText = ""
    engagements_referent: LongText = ""

    @model_validator(mode="after")
    def _duree(self) -> RedactionContrat:
        verifier_duree(self.date_debut, self.date_fin)
        return self


class SignatureContrat(Model):
    signataire: Signataire
    signe_le: date


class Avenant(Model):
    signe_le: date
    motif: LongText = Field(min_length=3)
    objectifs: list[Objectif] | None = Field(default=None, max_length=12)
    date_fin: date | None = None


class RevueContrat(Model):
    realisee_le: date
    bilan: LongText = Field(min_length=3)
    objectifs: list[Objectif] | None = Field(default=None, max_length=12)


class Renouvellement(Model):
    decide_le: date
    nouvelle_date_fin: date
    objectifs: list[Objectif] | None = Field(default=None, max_length=12)


class EtapeManquement(LabelledEnum):
    AVERTISSEMENT = "avertissement", "Avertissement"
    EXAMEN_EP = "examen_ep", "Examen en équipe pluridisciplinaire"
    DECISION = "decision", "Décision"


class DecisionManquement(LabelledEnum):
    MAINTIEN = "maintien", "Maintien de l'accompagnement"
    SUSPENSION = "suspension", "Suspension"
    RADIATION = "radiation", "Radiation"


class Manquement(Model):
    """One step of the procedure when the person does not honour the contract."""

    etape: EtapeManquement
    le: date
    motif: LongText = Field(min_length=3)
    date_examen: date | None = Field(
        default=None, description="Date de l'équipe pluridisciplinaire"
    )
    decision: DecisionManquement | None = None

    @model_validator(mode="after")
    def _coherent(self) -> Manquement:
        if self.etape == EtapeManquement.EXAMEN_EP and self.date_examen is None:
            raise ChampInvalide(
                "date_examen", "La date d'examen en équipe pluridisciplinaire est obligatoire"
            )
        if self.etape == EtapeManquement.DECISION and self.decision is None:
            raise ChampInvalide("decision", "La décision est obligatoire à cette étape")
        return self


class Contrat(Model):
    """The contract as its child workflow holds it, and as the parcours mirrors it."""

    workflow_id: str
    numero: int
    etat: EtatContrat
    type: TypeContrat
    date_debut: date
    date_fin: date
    objectifs: list[Objectif]
    engagements_usager: str = ""
    engagements_referent: str = ""
    signatures: dict[Signataire, date] = Field(default_factory=dict)
    referent: Acteur
    avenants: list[Avenant] = Field(default_factory=list)
    revues: list[RevueContrat] = Field(default_factory=list)
    renouvellements: int = 0
    manquements: list[Manquement] = Field(default_factory=list)
    fin_motif: str | None = None
    version: int = 0

    @property
    def signe(self) -> bool:
        return set(self.signatures) == set(Signataire)

    @property
    def en_cours(self) -> bool:
        return self.etat not in (EtatContrat.TERMINE, EtatContrat.RESILIE)

    @property
    def date_revue(self) -> date:
        return self.date_fin - timedelta(days=REVUE_AVANT_FIN_JOURS)
