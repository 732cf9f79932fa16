"""PMSMP: an immersion of at most one month in a company, under a signed convention."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from schemas.champ import ChampInvalide
from schemas.common import Acteur, LabelledEnum, LongText, Model, Text
from schemas.entreprise import Entreprise
from schemas.usager import EMAIL_PATTERN, PHONE_PATTERN

DUREE_MAX_JOURS = 30
HEURES_HEBDO_MAX = 48
BILAN_DELAI_JOURS = 7
RELANCES_TUTEUR_JOURS = (3, 10)


class ObjectifPmsmp(LabelledEnum):
    DECOUVRIR = "decouvrir", "Découvrir un métier ou un secteur d'activité"
    CONFIRMER = "confirmer", "Confirmer un projet professionnel"
    RECRUTEMENT = "recrutement", "Initier une démarche de recrutement"


class EtatPmsmp(LabelledEnum):
    EN_SIGNATURE = "en_signature", "Convention à signer"
    A_VALIDER = "a_valider", "Signée, à valider par le prescripteur"
    VALIDEE = "validee", "Validée, à venir"
    EN_COURS = "en_cours", "En cours"
    A_BILANTER = "a_bilanter", "Terminée, bilan attendu"
    BILAN_FAIT = "bilan_fait", "Bilan reçu"
    ANNULEE = "annulee", "Annulée"


class SignatairePmsmp(LabelledEnum):
    BENEFICIAIRE = "beneficiaire", "Bénéficiaire"
    ENTREPRISE = "entreprise", "Représentant de l'entreprise"
    TUTEUR = "tuteur", "Tuteur"


class Tuteur(Model):
    nom: Text
    prenom: Text
    fonction: Text
    telephone: str | None = Field(default=None, pattern=PHONE_PATTERN)
    email: str | None = Field(default=None, pattern=EMAIL_PATTERN)


class ConventionPmsmp(Model):
    entreprise: Entreprise
    tuteur: Tuteur
    date_debut: date
    date_fin: date
    heures_hebdomadaires: float = Field(gt=0, le=HEURES_HEBDO_MAX)
    horaires: Text = Field(examples=["Du lundi au vendredi, 8 h – 12 h et 13 h 30 – 17 h"])
    objectif: ObjectifPmsmp
    metier: Text
    code_rome: str | None = Field(default=None, pattern=r"^[A-N][0-9]{4}$")
    renouvellement_de: str | None = Field(
        default=None, description="Identifiant de la convention renouvelée"
    )

    @model_validator(mode="after")
    def _duree(self) -> ConventionPmsmp:
        if self.date_fin < self.date_debut:
            raise ChampInvalide("date_fin", "La date de fin précède la date de début")
        jours = (self.date_fin - self.date_debut).days + 1
        if jours > DUREE_MAX_JOURS:
            raise ChampInvalide(
                "date_fin",
                f"Une PMSMP dure au plus {DUREE_MAX_JOURS} jours : "
                f"cette convention en compte {jours}",
            )
        return self

    @property
    def duree_jours(self) -> int:
        return (self.date_fin - self.date_debut).days + 1


class SignaturePmsmp(Model):
    signataire: SignatairePmsmp
    signe_le: date


class ValidationPmsmp(Model):
    validee_le: date


class AnnulationPmsmp(Model):
    annulee_le: date
    motif: LongText = Field(min_length=3)


class ResultatPmsmp(LabelledEnum):
    REALISEE = "realisee", "Réalisée entièrement"
    PARTIELLE = "partielle", "Réalisée en partie"
    NON_PRESENTE = "non_presente", "La personne ne s'est pas présentée"


class BilanPmsmp(Model):
    redige_le: date
    resultat: ResultatPmsmp
    heures_manquees: float = Field(default=0, ge=0)
    competences_observees: LongText = ""
    embauche_proposee: bool = False
    type_contrat_propose: str | None = Field(default=None, max_length=50)
    date_embauche: date | None = None
    signe_par_beneficiaire: bool = False


class Pmsmp(Model):
    """A convention as its child workflow holds it, and as the parcours mirrors it."""

    id: str
    workflow_id: str
    etat: EtatPmsmp
    convention: ConventionPmsmp
    prescripteur: Acteur
    signatures: dict[SignatairePmsmp, date] = Field(default_factory=dict)
    validee_le: date | None = None
    bilan: BilanPmsmp | None = None
    relances_tuteur: list[date] = Field(default_factory=list)
    annulation: AnnulationPmsmp | None = None
    version: int = 0

    @property
    def signee(self) -> bool:
        return set(self.signatures) == set(SignatairePmsmp)

    @property
    def en_cours(self) -> bool:
        return self.etat not in (EtatPmsmp.BILAN_FAIT, EtatPmsmp.ANNULEE)
