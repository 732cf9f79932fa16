"""Sortie: the end of a parcours, positive or not, with an enumerated reason."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from schemas.common import LabelledEnum, LongText, Model


class MotifSortie(LabelledEnum):
    EMPLOI_DURABLE = "emploi_durable", "Emploi durable (CDI, CDD de 6 mois ou plus)"
    FORMATION_QUALIFIANTE = "formation_qualifiante", "Formation qualifiante"
    CREATION_ENTREPRISE = "creation_entreprise", "Création d'entreprise"
    EMPLOI_TRANSITION = "emploi_transition", "Emploi de transition (moins de 6 mois)"
    DEMENAGEMENT = "demenagement", "Déménagement hors du département"
    ABANDON = "abandon", "Abandon du parcours"
    RADIATION = "radiation", "Radiation"
    FIN_DE_DROITS = "fin_de_droits", "Fin des droits sans poursuite"
    RAISON_SANTE = "raison_sante", "Raison de santé"
    AUTRE = "autre", "Autre motif"


SORTIES_POSITIVES = frozenset(
    {MotifSortie.EMPLOI_DURABLE, MotifSortie.FORMATION_QUALIFIANTE, MotifSortie.CREATION_ENTREPRISE}
)


class Sortie(Model):
    le: date
    motif: MotifSortie
    commentaire: LongText = ""

    @property
    def positive(self) -> bool:
        return self.motif in SORTIES_POSITIVES


class Suspension(Model):
    """A pause of the accompaniment (hospital, incarceration…): no rupture is raised meanwhile."""

    le: date
    motif: LongText = Field(min_length=3)
    jusqu_au: date | None = None


class Reprise(Model):
    le: date
