"""Agendas of the référents: the places they receive people, their opening slots (plages
d'ouverture) and their exceptions (leave), and the rules of appointments (motifs, delays)."""

from __future__ import annotations

from datetime import date, datetime, time

from pydantic import Field, model_validator

from schemas.champ import ChampInvalide
from schemas.common import LabelledEnum, LongText, Model, Text
from schemas.rdv import ModeRdv

QUART_D_HEURE = 15  # minutes: every slot starts and ends on a quarter of an hour


class JourSemaine(LabelledEnum):
    LUNDI = "0", "lundi"
    MARDI = "1", "mardi"
    MERCREDI = "2", "mercredi"
    JEUDI = "3", "jeudi"
    VENDREDI = "4", "vendredi"
    SAMEDI = "5", "samedi"


class MotifRdv(Model):
    code: str = Field(pattern=r"^[a-z_]+$")
    libelle: str
    duree_minutes: int = Field(ge=QUART_D_HEURE, le=240, multiple_of=QUART_D_HEURE)
    collectif: bool = False
    # The motif's category in RDV-Solidarités (its motif_category_short_name, as RDV-Insertion
    # names them): an invitation's link to the tool offers that category's motifs only.
    categorie_rdv_solidarites: str | None = Field(default=None, pattern=r"^[a-z0-9_]+$")


class ReglesReservation(Model):
    modifiable_jusqu_a_heures_avant: int = Field(ge=0, le=168)
    delai_minimum_heures: int = Field(ge=0, le=72)


class ReglesCourrier(Model):
    telephone: str = Field(min_length=10, max_length=20)


class ReglesRendezVous(Model):
    version: str
    motifs: list[MotifRdv] = Field(min_length=1)
    reservation: ReglesReservation
    courrier: ReglesCourrier

    def motif(self, code: str) -> MotifRdv | None:
        return next((m for m in self.motifs if m.code == code), None)


# --- what a référent types ---------------------------------------------------------------


def _quart(champ: str, h: time) -> None:
    if h.minute % QUART_D_HEURE or h.second or h.microsecond:
        raise ChampInvalide(champ, "L'heure doit tomber sur un quart d'heure (ex. 9 h 15)")


class LieuSaisi(Model):
    nom: Text
    adresse: Text = Field(description="Numéro et voie")
    code_postal: str = Field(pattern=r"^74\d{3}$", description="Code postal en Haute-Savoie")
    commune: Text
    acces: LongText = Field(default="", description="Accès : transports, étage, accessibilité")


class PlageSaisie(Model):
    jour: JourSemaine
    debut: time
    fin: time
    modalite: ModeRdv
    lieu_id: str | None = Field(default=None, description="Obligatoire sur place")
    motifs: list[str] = Field(min_length=1, max_length=10, description="Codes des motifs reçus")
    du: date = Field(description="Premier jour où la plage s'applique")
    au: date | None = Field(default=None, description="Dernier jour (aucun : sans fin)")

    @model_validator(mode="after")
    def _coherente(self) -> PlageSaisie:
        _quart("debut", self.debut)
        _quart("fin", self.fin)
        if self.fin <= self.debut:
            raise ChampInvalide("fin", "La fin de la plage doit suivre son début")
        if self.au is not None and self.au < self.du:
            raise ChampInvalide("au", "Le dernier jour doit suivre le premier")
        if self.modalite == ModeRdv.SUR_PLACE and not self.lieu_id:
            raise ChampInvalide("lieu_id", "Choisissez le lieu d'une plage sur place")
        if self.modalite != ModeRdv.SUR_PLACE and self.lieu_id:
            raise ChampInvalide("lieu_id", "Une plage par téléphone ou en visio n'a pas de lieu")
        return self


class AbsenceSaisie(Model):
    """Leave, training…: no slot is offered between these two days (both included)."""

    du: date
    au: date
    motif: Text

    @model_validator(mode="after")
    def _ordre(self) -> AbsenceSaisie:
        if self.au < self.du:
            raise ChampInvalide("au", "Le dernier jour doit suivre le premier")
        return self


# --- what is shown -----------------------------------------------------------------------


class Lieu(LieuSaisi):
    id: str


class Plage(PlageSaisie):
    id: str
    compte_id: str


class Absence(AbsenceSaisie):
    id: str
    compte_id: str


class Creneau(Model):
    """A free slot: where and when a person may be received for a motif."""

    compte_id: str
    plage_id: str
    motif: str
    debut: datetime
    fin: datetime
    modalite: ModeRdv
    lieu_id: str | None = None
