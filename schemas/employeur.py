"""The employers' side (issue 24): companies known to the SPIE, their contacts, the label
« employeur inclusif », and their job offers. What is typed; the rows are in store/employeurs.py."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field, field_validator
from stdnum.exceptions import ValidationError
from stdnum.fr import siret as numero_siret

from schemas.common import LabelledEnum, Model, Text
from schemas.emploi import TypeContratTravail
from schemas.metier import CodeRome
from schemas.usager import EMAIL_PATTERN, PHONE_PATTERN


def siret_normalise(valeur: str) -> str:
    """The 14 digits of a SIRET typed with spaces or dots, checked by python-stdnum (Luhn key,
    La Poste's establishments included). ValueError, in French, when it is not one."""
    try:
        return str(numero_siret.validate(valeur))
    except ValidationError:
        raise ValueError("Numéro SIRET invalide : 14 chiffres dont une clé de contrôle") from None


class OrigineEntreprise(LabelledEnum):
    SAISIE = "saisie", "Saisie par le SPIE"
    PMSMP = "pmsmp", "Accueil d'une immersion (PMSMP)"
    EMBAUCHE = "embauche", "Embauche d'une personne accompagnée"
    IMPORT = "import", "Import"
    FRANCE_TRAVAIL = "france_travail", "Offre de France Travail"


class EntrepriseSaisie(Model):
    """A company typed by a chargé de relation entreprise; blanks are filled from the national
    directory when the connector is configured."""

    siret: str = Field(examples=["732 829 320 00074"])
    nom: Text | None = None
    naf: str | None = Field(default=None, pattern=r"^[0-9]{2}\.?[0-9]{2}[A-Z]$")
    adresse: Text | None = None
    code_postal: str | None = Field(default=None, pattern=r"^[0-9]{5}$")
    commune: Text | None = None

    @field_validator("siret")
    @classmethod
    def _siret(cls, valeur: str) -> str:
        return siret_normalise(valeur)


class ContactSaisi(Model):
    nom: Text
    fonction: Text | None = None
    telephone: str | None = Field(default=None, pattern=PHONE_PATTERN)
    email: str | None = Field(default=None, pattern=EMAIL_PATTERN)


class LabelSaisi(Model):
    inclusif: bool = Field(description="Accorder (vrai) ou retirer (faux) le label")


class StatutOffre(LabelledEnum):
    OUVERTE = "ouverte", "Ouverte"
    SUSPENDUE = "suspendue", "Suspendue"
    POURVUE = "pourvue", "Pourvue"
    FERMEE = "fermee", "Fermée sans suite"


class SourceOffre(StrEnum):
    SAISIE = "saisie"
    FRANCE_TRAVAIL = "france_travail"


class OffreSaisie(Model):
    siret: str
    intitule: Text
    code_rome: CodeRome
    code_postal: str = Field(pattern=r"^[0-9]{5}$")
    commune: Text
    type_contrat: TypeContratTravail
    heures_hebdomadaires: float | None = Field(default=None, gt=0, le=48)
    horaires: Text | None = Field(default=None, examples=["Du lundi au vendredi, 7 h – 14 h"])
    permis_requis: bool = False
    horaires_decales: bool = False
    inclusive: bool = Field(False, description="L'employeur s'engage : « offre inclusive »")

    @field_validator("siret")
    @classmethod
    def _siret(cls, valeur: str) -> str:
        return siret_normalise(valeur)


class StatutSaisi(Model):
    statut: StatutOffre


class Creneau(StrEnum):
    """When a person can work; an offer may need some of them (nights, week-ends)."""

    MATIN = "matin"
    APRES_MIDI = "apres_midi"
    SOIR = "soir"
    NUIT = "nuit"
    WEEK_END = "week_end"


class FicheVivier(Model):
    """What the référent records with the person to put them in the pool of people ready to
    work. Seen by the chargés de relation entreprise of the territory only with consent."""

    pret: bool = Field(description="La personne est prête à l'emploi")
    consentement: bool = Field(
        description="La personne accepte d'être présentée aux chargés de relation entreprise"
    )
    projets: list[CodeRome] = Field(min_length=1, max_length=3, description="Codes ROME")
    permis_b: bool = False
    vehicule: bool = False
    distance_max_km: int = Field(default=20, ge=1, le=150)
    creneaux: list[Creneau] = Field(default_factory=list)


class StatutProposition(LabelledEnum):
    A_TRANSMETTRE = "a_transmettre", "À transmettre à la personne"
    PROPOSEE = "proposee", "Proposée à la personne"
    REFUSEE = "refusee", "Refusée"
    ENTRETIEN = "entretien", "Entretien avec l'employeur"
    EMBAUCHEE = "embauchee", "Embauchée"


class PropositionSaisie(Model):
    parcours_id: str = Field(min_length=1, max_length=80)


class SuiteProposition(Model):
    """What the référent records; « embauchée » declares the hiring in the parcours."""

    statut: StatutProposition
    date_debut: date | None = Field(default=None, description="Pour « embauchée »")
    date_fin: date | None = Field(default=None, description="Pour un contrat à durée")


class ImportEntreprises(Model):
    """A spreadsheet of companies for the directory (CSV or XLSX, as the lists of people)."""

    nom_fichier: str = Field(
        min_length=1, max_length=200, description="Nom du fichier, .xlsx ou .csv"
    )
    contenu: str = Field(min_length=1, description="Le fichier, encodé en base64")
    correspondance: dict[str, str] | None = Field(
        default=None,
        description="Champ (siret, nom, naf, adresse, code_postal, commune) → en-tête de "
        "colonne ; par défaut, proposée d'après les en-têtes",
    )
    confirmer: bool = Field(
        default=False,
        description="Faux : aperçu, rien n'est écrit ; vrai : enregistré si aucune ligne n'est "
        "en erreur (sinon 422 qui nomme chaque ligne et sa colonne)",
    )
