"""Suivi dans l'emploi: the job found, its check-ins, and how it ends."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from schemas.champ import ChampInvalide
from schemas.common import LabelledEnum, LongText, Model, Text
from schemas.entreprise import Entreprise

JALONS_SUIVI_JOURS = (30, 90, 180)
CDD_DURABLE_MOIS = 6


class TypeContratTravail(LabelledEnum):
    CDI = "cdi", "CDI"
    CDD = "cdd", "CDD"
    INTERIM = "interim", "Intérim"
    CDDI = "cddi", "CDDI (SIAE)"
    PEC = "pec", "Parcours emploi compétences (PEC)"
    CUI_CIE = "cui_cie", "CUI-CIE"
    APPRENTISSAGE = "apprentissage", "Apprentissage"
    CREATION = "creation", "Création d'entreprise"


CONTRATS_A_DUREE = frozenset(
    {
        TypeContratTravail.CDD,
        TypeContratTravail.INTERIM,
        TypeContratTravail.CDDI,
        TypeContratTravail.PEC,
        TypeContratTravail.CUI_CIE,
        TypeContratTravail.APPRENTISSAGE,
    }
)


class EtatEmploi(LabelledEnum):
    EN_COURS = "en_cours", "En emploi, suivi en cours"
    SUIVI_TERMINE = "suivi_termine", "Suivi terminé, emploi stable"
    TERMINE = "termine", "Emploi terminé"


class DeclarationEmbauche(Model):
    type_contrat: TypeContratTravail
    employeur: Entreprise
    metier: Text
    date_debut: date
    date_fin: date | None = None
    fin_periode_essai: date | None = None
    temps_plein: bool = True
    heures_hebdomadaires: float | None = Field(default=None, gt=0, le=48)

    @model_validator(mode="after")
    def _dates(self) -> DeclarationEmbauche:
        if self.type_contrat in CONTRATS_A_DUREE and self.date_fin is None:
            raise ChampInvalide(
                "date_fin",
                f"La date de fin est obligatoire pour un contrat {self.type_contrat.label}",
            )
        if self.date_fin is not None and self.date_fin <= self.date_debut:
            raise ChampInvalide(
                "date_fin", "La date de fin doit être postérieure à la date de début"
            )
        if self.fin_periode_essai is not None and self.fin_periode_essai < self.date_debut:
            raise ChampInvalide(
                "fin_periode_essai",
                "La période d'essai ne peut pas finir avant le début du contrat",
            )
        return self

    @property
    def duree_mois(self) -> float | None:
        if self.date_fin is None:
            return None
        return (self.date_fin - self.date_debut).days / 30.4


class DeroulementSuivi(LabelledEnum):
    BIEN = "bien", "Se passe bien"
    DIFFICULTES = "difficultes", "Des difficultés, sans risque immédiat"
    RISQUE = "risque", "Risque de rupture"


class PointSuivi(Model):
    jalon_jours: int = Field(
        description="Jalon du suivi : 30, 90 ou 180 jours",
        json_schema_extra={"enum": list(JALONS_SUIVI_JOURS)},
    )
    realise_le: date
    deroulement: DeroulementSuivi
    commentaire: LongText = ""

    @model_validator(mode="after")
    def _jalon_connu(self) -> PointSuivi:
        if self.jalon_jours not in JALONS_SUIVI_JOURS:
            raise ChampInvalide("jalon_jours", "Jalon inconnu : 30, 90 ou 180 jours")
        return self


class MotifFinEmploi(LabelledEnum):
    FIN_CONTRAT = "fin_contrat", "Fin du contrat"
    RUPTURE_ESSAI = "rupture_essai", "Rupture de la période d'essai"
    DEMISSION = "demission", "Démission"
    LICENCIEMENT = "licenciement", "Licenciement"
    RUPTURE_CONVENTIONNELLE = "rupture_conventionnelle", "Rupture conventionnelle"


class FinEmploi(Model):
    le: date
    motif: MotifFinEmploi
    commentaire: LongText = ""


class Emploi(Model):
    """The job and its follow-up, as the child workflow holds it and the parcours mirrors it."""

    workflow_id: str
    numero: int
    etat: EtatEmploi
    embauche: DeclarationEmbauche
    points: list[PointSuivi] = Field(default_factory=list)
    jalons_dus: list[int] = Field(default_factory=list)
    fin: FinEmploi | None = None
    version: int = 0

    @property
    def durable(self) -> bool:
        """Counts as a sortie positive: CDI, or a fixed-term job of six months or more."""
        kind = self.embauche.type_contrat
        if kind in (TypeContratTravail.CDI, TypeContratTravail.CREATION):
            return True
        months = self.embauche.duree_mois
        return (
            months is not None and months >= CDD_DURABLE_MOIS and kind != TypeContratTravail.INTERIM
        )
