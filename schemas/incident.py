"""Incidents: a partner call that failed for good, waiting for a person to retry or resolve it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from schemas.common import Acteur, LabelledEnum, LongText, Model


class Partenaire(LabelledEnum):
    FRANCE_TRAVAIL = "france-travail", "France Travail"
    CAF = "caf", "CAF"
    EMPLOYEUR = "employeur", "Employeurs"
    SIAE = "siae", "Plateforme de l'inclusion (SIAE)"
    IMMERSION = "immersion", "Plateforme de l'immersion"
    RDV = "rdv", "Outil de prise de rendez-vous"
    SMS = "sms", "Passerelle SMS"
    MESSAGERIE = "messagerie", "Messagerie électronique"
    COURRIER = "courrier", "Courrier postal (PDF à poster)"


class TypeOperation(LabelledEnum):
    NOTIFIER_ORIENTATION = (
        "notifier_orientation",
        "Transmettre la décision d'orientation à France Travail",
    )
    LIRE_DROITS_RSA = "lire_droits_rsa", "Lire les droits RSA à la CAF"
    SOUMETTRE_PMSMP = (
        "soumettre_pmsmp",
        "Transmettre la convention PMSMP à la plateforme de l'immersion",
    )
    DEMANDE_SIAE = "demande_siae", "Envoyer la demande d'orientation à la plateforme de l'inclusion"
    ENVOYER_SMS = "envoyer_sms", "Envoyer un SMS"
    ENVOYER_COURRIEL = "envoyer_courriel", "Envoyer un courriel"
    INSCRIRE_RDV_SOLIDARITES = (
        "inscrire_rdv_solidarites",
        "Inscrire la personne dans RDV-Solidarités",
    )
    PRODUIRE_COURRIER = "produire_courrier", "Préparer un courrier à poster"
    INVITER_DANS_RDV_SOLIDARITES = (
        "inviter_dans_rdv_solidarites",
        "Envoyer le lien de réservation de RDV-Solidarités",
    )
    PRODUIRE_COURRIER_ANNULATION = (
        "produire_courrier_annulation",
        "Préparer un courrier d'annulation à poster",
    )
    TRANSMETTRE_ISSUE_RDV_SOLIDARITES = (
        "transmettre_issue_rdv_solidarites",
        "Transmettre l'issue du rendez-vous à RDV-Solidarités",
    )


PARTENAIRE_DE_L_OPERATION: dict[TypeOperation, Partenaire] = {
    TypeOperation.NOTIFIER_ORIENTATION: Partenaire.FRANCE_TRAVAIL,
    TypeOperation.LIRE_DROITS_RSA: Partenaire.CAF,
    TypeOperation.SOUMETTRE_PMSMP: Partenaire.IMMERSION,
    TypeOperation.DEMANDE_SIAE: Partenaire.SIAE,
    TypeOperation.ENVOYER_SMS: Partenaire.SMS,
    TypeOperation.ENVOYER_COURRIEL: Partenaire.MESSAGERIE,
    TypeOperation.INSCRIRE_RDV_SOLIDARITES: Partenaire.RDV,
    TypeOperation.PRODUIRE_COURRIER: Partenaire.COURRIER,
    TypeOperation.INVITER_DANS_RDV_SOLIDARITES: Partenaire.RDV,
    TypeOperation.PRODUIRE_COURRIER_ANNULATION: Partenaire.COURRIER,
    TypeOperation.TRANSMETTRE_ISSUE_RDV_SOLIDARITES: Partenaire.RDV,
}


class PolitiqueAppels(Model):
    """How long a partner call is retried before it becomes an incident for a person.
    Default: 5 attempts over about 30 seconds; tests shorten it."""

    tentatives: int = Field(default=5, ge=1, le=20)
    premier_delai_s: float = Field(default=2.0, gt=0)
    delai_max_s: float = Field(default=30.0, gt=0)


class StatutOperation(LabelledEnum):
    EN_COURS = "en_cours", "En cours"
    EN_INCIDENT = "en_incident", "En incident"
    REUSSIE = "reussie", "Réussie"
    ABANDONNEE = "abandonnee", "Abandonnée"


class OperationSortante(Model):
    """A call to a partner. ``id`` is also the idempotency key sent to the partner, so a
    retried call never repeats its side effect."""

    id: str
    type: TypeOperation
    donnees: dict[str, Any]
    statut: StatutOperation = StatutOperation.EN_COURS
    creee_le: datetime
    resultat: dict[str, Any] | None = None


class StatutIncident(LabelledEnum):
    OUVERT = "ouvert", "Ouvert"
    RELANCE = "relance", "Nouvelle tentative en cours"
    RESOLU = "resolu", "Résolu (nouvelle tentative réussie)"
    CLOS = "clos", "Clos à la main"


INCIDENTS_ACTIFS = frozenset({StatutIncident.OUVERT, StatutIncident.RELANCE})


class Incident(Model):
    id: str
    operation_id: str
    partenaire: Partenaire
    operation: TypeOperation
    message: str
    definitif: bool = Field(description="Refus du partenaire (4xx) plutôt que panne")
    tentatives: int
    premiere_erreur: datetime
    derniere_erreur: datetime
    statut: StatutIncident = StatutIncident.OUVERT
    resolution: str | None = None
    resolu_par: Acteur | None = None

    @property
    def actif(self) -> bool:
        return self.statut in INCIDENTS_ACTIFS


class RelanceIncident(Model):
    incident_id: str = Field(min_length=1, max_length=80)


class ResolutionIncident(Model):
    incident_id: str = Field(min_length=1, max_length=80)
    motif: LongText = Field(min_length=3)
