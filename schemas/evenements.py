"""Partner events: the catalogue of facts partner systems push, and what each does.

Each type names the partner allowed to send it, the kind of identifier its ``subject``
carries (how the parcours is found), the schema of its ``data`` and its effect.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from schemas.common import LabelledEnum, Model
from schemas.incident import Partenaire


class CleSujet(LabelledEnum):
    """Which identifier of the person an event's ``subject`` holds."""

    FRANCE_TRAVAIL = "france_travail", "Identifiant France Travail"
    CAF = "caf", "Numéro allocataire CAF"
    PASS_IAE = "pass_iae", "Numéro PASS IAE"
    SALARIE = "salarie", "SIRET et matricule du salarié"
    CONVENTION = "convention", "Identifiant de convention PMSMP"
    RDV = "rdv", "Identifiant de rendez-vous"
    RDV_SOLIDARITES = "rdv_solidarites", "Identifiant d'usager RDV-Solidarités"


class Effet(LabelledEnum):
    """What the event does to the parcours."""

    FAIT = "fait", "Met à jour la situation connue"
    SIGNALEMENT = "signalement", "Signale une rupture : le référent doit agir sous 15 jours"
    RDV = "rdv", "Renseigne l'issue d'un rendez-vous"
    PMSMP = "pmsmp", "Fait avancer la convention PMSMP"
    INFORMATION = "information", "Ajoute une information au fil du parcours"


class _Data(BaseModel):
    # Partners may add fields we do not know yet: keep them rather than refuse the event.
    model_config = ConfigDict(extra="allow")


class DataInscription(_Data):
    date_inscription: date
    categorie: str | None = None


class DataMotif(_Data):
    date: date
    motif: str = Field(min_length=1, max_length=500)


class DataDroitsRsa(_Data):
    date_effet: date
    montant_mensuel: float | None = Field(default=None, ge=0)


class DataContratTravail(_Data):
    type_contrat: str = Field(min_length=2, max_length=40)
    date_debut: date
    date_fin: date | None = None
    metier: str | None = None


class DataSiae(_Data):
    structure: str = Field(min_length=1, max_length=200)
    date: date


class DataConvention(_Data):
    convention_id: str
    date: date


class DataBilanImmersion(_Data):
    convention_id: str
    resultat: str = Field(pattern="^(realisee|partielle|non_presente)$")
    embauche_proposee: bool = False
    date: date


class DataAnnulationImmersion(_Data):
    convention_id: str
    date: date
    motif: str = Field(min_length=1, max_length=500)


class DataRdv(_Data):
    rdv_id: str
    date_heure: datetime


class DataRdvSolidarites(_Data):
    """An appointment as RDV-Solidarités describes it, for one of its participants
    (translated by ``partenaires.rdv_solidarites`` from the tool's webhook)."""

    rdv_id: str = Field(pattern=r"^[0-9]{1,18}$", description="Identifiant du rdv dans l'outil")
    date_heure: datetime
    mode: str = Field(pattern="^(sur_place|telephone|visio)$")
    objet: str = Field(min_length=1, max_length=300, description="Motif du rendez-vous")
    lieu: str | None = Field(default=None, max_length=300)
    professionnel: str | None = Field(default=None, max_length=200)
    statut_outil: str = Field(max_length=40, description="Statut dans RDV-Solidarités")
    # Absent from events recorded before the outcome went back to the tool: they still read.
    participation_id: str | None = Field(
        default=None,
        pattern=r"^[0-9]{1,18}$",
        description="Participation de la personne au rdv dans l'outil (pour lui renvoyer l'issue)",
    )


@dataclass(frozen=True)
class TypeEvenement:
    nom: str
    partenaire: Partenaire
    cle: CleSujet
    data: type[_Data]
    effet: Effet
    libelle: str
    fait: str | None = None  # the situation fact it sets (out-of-order events compare `time`)
    valeur: str | None = None


def _t(
    type_: str,
    partenaire: Partenaire,
    cle: CleSujet,
    data: type[_Data],
    effet: Effet,
    libelle: str,
    fait: str | None = None,
    valeur: str | None = None,
) -> TypeEvenement:
    return TypeEvenement(type_, partenaire, cle, data, effet, libelle, fait, valeur)


_FT, _CAF, _EMP = Partenaire.FRANCE_TRAVAIL, Partenaire.CAF, Partenaire.EMPLOYEUR
CATALOGUE: dict[str, TypeEvenement] = {
    e.nom: e
    for e in [
        _t(
            "fr.france-travail.demandeur.inscrit",
            _FT,
            CleSujet.FRANCE_TRAVAIL,
            DataInscription,
            Effet.FAIT,
            "Inscription à France Travail",
            "inscription_france_travail",
            "inscrit",
        ),
        _t(
            "fr.france-travail.demandeur.radie",
            _FT,
            CleSujet.FRANCE_TRAVAIL,
            DataMotif,
            Effet.SIGNALEMENT,
            "Radiation de France Travail",
            "inscription_france_travail",
            "radie",
        ),
        # Fin de l'inscription à l'initiative de la personne ou faute d'actualisation (flux
        # « cessations » de France Travail) : distincte d'une radiation, qui est une sanction,
        # mais une personne au RSA doit être inscrite : le référent vérifie pourquoi.
        _t(
            "fr.france-travail.demandeur.cesse",
            _FT,
            CleSujet.FRANCE_TRAVAIL,
            DataMotif,
            Effet.SIGNALEMENT,
            "Cessation d'inscription à France Travail",
            "inscription_france_travail",
            "cesse",
        ),
        _t(
            "fr.france-travail.demandeur.reprise-emploi",
            _FT,
            CleSujet.FRANCE_TRAVAIL,
            DataContratTravail,
            Effet.INFORMATION,
            "Reprise d'emploi déclarée à France Travail",
            "emploi_declare",
            "oui",
        ),
        _t(
            "fr.caf.rsa.droits-ouverts",
            _CAF,
            CleSujet.CAF,
            DataDroitsRsa,
            Effet.FAIT,
            "Ouverture des droits RSA",
            "droits_rsa",
            "ouverts",
        ),
        _t(
            "fr.caf.rsa.droits-suspendus",
            _CAF,
            CleSujet.CAF,
            DataMotif,
            Effet.SIGNALEMENT,
            "Suspension des droits RSA",
            "droits_rsa",
            "suspendus",
        ),
        _t(
            "fr.caf.rsa.droits-clos",
            _CAF,
            CleSujet.CAF,
            DataMotif,
            Effet.SIGNALEMENT,
            "Fin des droits RSA",
            "droits_rsa",
            "clos",
        ),
        _t(
            "fr.employeur.contrat.signe",
            _EMP,
            CleSujet.SALARIE,
            DataContratTravail,
            Effet.INFORMATION,
            "Contrat de travail signé",
            "contrat_travail",
            "signe",
        ),
        _t(
            "fr.employeur.periode-essai.rompue",
            _EMP,
            CleSujet.SALARIE,
            DataMotif,
            Effet.SIGNALEMENT,
            "Rupture de la période d'essai",
            "contrat_travail",
            "rompu",
        ),
        _t(
            "fr.employeur.contrat.rompu",
            _EMP,
            CleSujet.SALARIE,
            DataMotif,
            Effet.SIGNALEMENT,
            "Rupture du contrat de travail",
            "contrat_travail",
            "rompu",
        ),
        _t(
            "fr.siae.salarie.entree",
            Partenaire.SIAE,
            CleSujet.PASS_IAE,
            DataSiae,
            Effet.INFORMATION,
            "Entrée dans une structure d'insertion",
            "siae",
            "entree",
        ),
        _t(
            "fr.siae.salarie.sortie",
            Partenaire.SIAE,
            CleSujet.PASS_IAE,
            DataMotif,
            Effet.SIGNALEMENT,
            "Sortie de la structure d'insertion",
            "siae",
            "sortie",
        ),
        _t(
            "fr.immersion.convention.signee",
            Partenaire.IMMERSION,
            CleSujet.CONVENTION,
            DataConvention,
            Effet.PMSMP,
            "Convention d'immersion signée sur la plateforme",
        ),
        _t(
            "fr.immersion.bilan.redige",
            Partenaire.IMMERSION,
            CleSujet.CONVENTION,
            DataBilanImmersion,
            Effet.PMSMP,
            "Bilan d'immersion rédigé par l'entreprise",
        ),
        # --- connecteur Immersion Facilitée ---
        _t(
            "fr.immersion.convention.validee",
            Partenaire.IMMERSION,
            CleSujet.CONVENTION,
            DataConvention,
            Effet.PMSMP,
            "Convention d'immersion validée par la structure sur la plateforme",
        ),
        _t(
            "fr.immersion.convention.annulee",
            Partenaire.IMMERSION,
            CleSujet.CONVENTION,
            DataAnnulationImmersion,
            Effet.PMSMP,
            "Convention d'immersion refusée ou annulée sur la plateforme",
        ),
        _t(
            "fr.rdv.rdv.honore",
            Partenaire.RDV,
            CleSujet.RDV,
            DataRdv,
            Effet.RDV,
            "Rendez-vous honoré",
        ),
        _t(
            "fr.rdv.rdv.excuse",
            Partenaire.RDV,
            CleSujet.RDV,
            DataRdv,
            Effet.RDV,
            "Rendez-vous excusé",
        ),
        _t(
            "fr.rdv.rdv.non-honore",
            Partenaire.RDV,
            CleSujet.RDV,
            DataRdv,
            Effet.RDV,
            "Rendez-vous non honoré",
        ),
        # --- connecteur RDV-Solidarités : le sujet est l'identifiant de l'usager dans l'outil ---
        *[
            _t(
                f"fr.rdv.usager.rdv-{suffixe}",
                Partenaire.RDV,
                CleSujet.RDV_SOLIDARITES,
                DataRdvSolidarites,
                Effet.RDV,
                libelle,
            )
            for suffixe, libelle in [
                ("planifie", "Rendez-vous pris dans RDV-Solidarités"),
                ("honore", "Rendez-vous RDV-Solidarités honoré"),
                ("excuse", "Rendez-vous RDV-Solidarités excusé"),
                ("non-honore", "Rendez-vous RDV-Solidarités non honoré"),
                ("annule", "Rendez-vous RDV-Solidarités annulé"),
            ]
        ],
    ]
}

# The types that signal a rupture: the dispatcher delivers them ahead of a backlog of ordinary
# events (partenaires/livraison.py), so that a radiation does not wait behind a nightly file.
SIGNALEMENTS = frozenset(nom for nom, t in CATALOGUE.items() if t.effet is Effet.SIGNALEMENT)


class EvenementPartenaire(Model):
    """A partner event as the parcours receives it (signal), once stored and matched."""

    id: str = Field(description="Identifiant unique chez le partenaire (idempotence)")
    partenaire: Partenaire
    type: str
    sujet: str
    survenu_le: datetime = Field(description="`time` de l'événement : quand le fait a eu lieu")
    recu_le: datetime
    data: dict[str, Any]

    @property
    def definition(self) -> TypeEvenement:
        return CATALOGUE[self.type]


class LotEvenements(Model):
    """Stored events of one parcours, in the order they were received: one signal from the
    dispatcher instead of one per event (issue 19)."""

    evenements: list[EvenementPartenaire] = Field(min_length=1)


class FaitPartenaire(Model):
    """The latest known value of a situation fact, and when it became true."""

    valeur: str
    depuis: datetime
    evenement_id: str
