"""Collective sessions (information collective): what the organiser types, what a référent
sees, and the attendance recorded for all the registered people at once (issue 18, item 3)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, model_validator

from schemas.agenda import Lieu
from schemas.champ import ChampInvalide
from schemas.common import Model, Text
from schemas.rdv import StatutRdv

CAPACITE_MAX = 200


class SessionSaisie(Model):
    motif: str = Field(max_length=40, description="Code d'un motif de rules/rendez_vous.yaml")
    titre: Text
    debut: datetime = Field(description="Avec fuseau (ex. 2026-12-10T09:00:00+01:00)")
    fin: datetime
    lieu_id: str = Field(max_length=80, description="Un lieu de la structure (agenda)")
    capacite: int = Field(ge=1, le=CAPACITE_MAX, description="Nombre de places")
    animateur: Text | None = Field(default=None, description="Défaut : l'organisateur")

    @model_validator(mode="after")
    def _coherente(self) -> SessionSaisie:
        if self.debut.tzinfo is None:
            raise ChampInvalide("debut", "Le début de la session doit préciser le fuseau horaire")
        if self.fin.tzinfo is None or self.fin <= self.debut:
            raise ChampInvalide("fin", "La fin de la session doit suivre son début")
        return self


class SessionCollective(Model):
    id: str
    motif: str
    libelle_motif: str
    titre: str
    debut: datetime
    fin: datetime
    lieu: Lieu
    capacite: int
    places_libres: int
    animateur: str
    organisateur_id: str
    annulee: bool


class DemandeInscription(Model):
    parcours_id: str = Field(min_length=1, max_length=80)


class Inscription(Model):
    id: str
    session_id: str
    parcours_id: str
    rdv_id: str | None


class Inscrit(Model):
    """What the organiser sees of a registered person: a name, not the dossier."""

    inscription_id: str
    prenom: str
    nom: str
    presence: StatutRdv | None


PRESENCES = (StatutRdv.HONORE, StatutRdv.EXCUSE, StatutRdv.NON_HONORE)


class Presence(Model):
    inscription_id: str = Field(max_length=80)
    statut: StatutRdv = Field(description="honore, excuse ou non_honore")

    @model_validator(mode="after")
    def _presence(self) -> Presence:
        if self.statut not in PRESENCES:
            raise ChampInvalide("statut", "Indiquez honoré, excusé ou non honoré")
        return self


class SaisiePresences(Model):
    presences: list[Presence] = Field(min_length=1, max_length=CAPACITE_MAX)


class PresenceTransmise(Model):
    inscription_id: str
    prenom: str
    nom: str
    statut: StatutRdv
    transmise: bool = Field(description="Renseignée dans le parcours")
    erreur: str | None = Field(default=None, description="Pourquoi le parcours l'a refusée")


class BilanPresences(Model):
    transmises: int
    echecs: int
    presences: list[PresenceTransmise]


# --- what the organiser's commands give each registered person's parcours -----------------


class PresenceSession(Model):
    """The attendance the animator typed for one registration (``noter_presence_session``):
    the outcome of the appointment that registration became (``reservation_id``)."""

    inscription_id: str = Field(max_length=80)
    statut: StatutRdv
    session: Text = Field(description="Le titre de la session, pour le fil du parcours")


class AnnulationSession(Model):
    """A session cancelled by its organiser (``annuler_rdv_session``): each registration's
    appointment is cancelled and the person told why."""

    inscription_id: str = Field(max_length=80)
    session: Text = Field(description="Le titre de la session")
    motif: Text = Field(description="Dit à la personne")


class DesinscriptionSession(Model):
    """One person withdrawn from a session (``desinscrire_session``) by their référent or the
    session's organiser: the appointment is cancelled and the person told."""

    inscription_id: str = Field(max_length=80)
    session: Text = Field(description="Le titre de la session")
    par_l_organisateur: bool = Field(
        default=False, description="Désinscrite par l'organisateur : son référent est prévenu"
    )


class DemandeAnnulation(Model):
    motif: str = Field(
        max_length=200, description="Pourquoi la session est annulée : dit à chaque inscrit"
    )

    @model_validator(mode="after")
    def _motif(self) -> DemandeAnnulation:
        if len(self.motif.strip()) < 3:
            raise ChampInvalide("motif", "Indiquez pourquoi la session est annulée")
        return self


class AnnulationTransmise(Model):
    inscription_id: str
    prenom: str
    nom: str
    transmise: bool = Field(description="Rendez-vous annulé dans le parcours")
    erreur: str | None = None
    courrier: bool = Field(
        default=False,
        description="Ni téléphone ni courriel connus : un courrier est joint aux documents de "
        "son parcours, que son référent imprime et poste",
    )
    injoignable: bool = Field(
        default=False,
        description="Ni téléphone, ni courriel, ni adresse postale connus : son référent est "
        "prévenu pour l'en informer",
    )


class BilanAnnulation(Model):
    transmises: int
    echecs: int
    annulations: list[AnnulationTransmise]
