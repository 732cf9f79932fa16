"""Appointments (rendez-vous) and contacts with the person."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field, model_validator

from schemas.champ import ChampInvalide
from schemas.common import LabelledEnum, LongText, Model, Text


class ModeRdv(LabelledEnum):
    SUR_PLACE = "sur_place", "Sur place"
    TELEPHONE = "telephone", "Par téléphone"
    VISIO = "visio", "En visioconférence"


class StatutRdv(LabelledEnum):
    PREVU = "prevu", "Prévu"
    HONORE = "honore", "Honoré"
    EXCUSE = "excuse", "Excusé"
    NON_HONORE = "non_honore", "Non honoré"
    ANNULE = "annule", "Annulé"


class PlanificationRdv(Model):
    date_heure: datetime = Field(
        description="Date et heure, avec fuseau (ex. 2026-12-03T09:30:00+01:00)"
    )
    mode: ModeRdv
    lieu: str | None = Field(default=None, max_length=300)
    professionnel: Text
    objet: Text

    @model_validator(mode="after")
    def _lieu_si_sur_place(self) -> PlanificationRdv:
        if self.date_heure.tzinfo is None:
            raise ChampInvalide(
                "date_heure", "La date du rendez-vous doit préciser le fuseau horaire"
            )
        if self.mode == ModeRdv.SUR_PLACE and not (self.lieu or "").strip():
            raise ChampInvalide("lieu", "Le lieu est obligatoire pour un rendez-vous sur place")
        return self


class ResultatRdv(Model):
    rdv_id: str = Field(min_length=1, max_length=80)
    statut: StatutRdv
    commentaire: LongText = ""

    @model_validator(mode="after")
    def _issue(self) -> ResultatRdv:
        if self.statut == StatutRdv.PREVU:
            raise ChampInvalide(
                "statut", "Indiquez l'issue du rendez-vous (honoré, excusé, non honoré ou annulé)"
            )
        return self


class Rdv(Model):
    id: str
    date_heure: datetime
    mode: ModeRdv
    lieu: str | None
    professionnel: str
    objet: str
    statut: StatutRdv = StatutRdv.PREVU
    source: str = Field(default="referent", description="referent, ou l'identifiant du partenaire")
    rappels_envoyes: list[str] = Field(default_factory=list)
    reservation_id: str | None = Field(default=None, description="Pris dans l'agenda (store)")
    fin: datetime | None = None
    modifications: int = Field(default=0, description="Déplacements : la SEQUENCE du .ics")
    participation_id: str | None = Field(
        default=None,
        description="Venu de RDV-Solidarités : la participation à qui l'outil attend l'issue",
    )

    def a_renseigner(self, now: datetime) -> bool:
        """A past appointment whose outcome nobody recorded yet."""
        return self.statut == StatutRdv.PREVU and self.date_heure < now


class PauseRappels(Model):
    active: bool
    motif: LongText = ""

    @model_validator(mode="after")
    def _motif(self) -> PauseRappels:
        if self.active and len(self.motif.strip()) < 3:
            raise ChampInvalide("motif", "Indiquez pourquoi les rappels sont suspendus")
        return self


class ModeContact(LabelledEnum):
    ENTRETIEN = "entretien", "Entretien"
    TELEPHONE = "telephone", "Appel téléphonique"
    MESSAGE = "message", "Message écrit (SMS, courriel)"
    VISITE = "visite", "Visite à domicile"
    REUNION = "reunion", "Réunion multipartenaire"


class Contact(Model):
    le: date
    mode: ModeContact
    objet: LongText = ""


class ReunionMultipartenaire(Model):
    """A meeting of the organisations around one person's situation."""

    date_heure: datetime
    organismes: list[str] = Field(min_length=1, max_length=10, description="Organismes invités")
    objet: Text
    lieu: str | None = Field(default=None, max_length=300)

    @model_validator(mode="after")
    def _fuseau(self) -> ReunionMultipartenaire:
        if self.date_heure.tzinfo is None:
            raise ChampInvalide(
                "date_heure", "La date de la réunion doit préciser le fuseau horaire"
            )
        return self


class RelanceReferent(Model):
    message: LongText = Field(min_length=3)
