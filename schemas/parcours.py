"""The parcours: its phases and status, its accueil, its whole state and its timeline.

``ParcoursState`` is the single serialisable object the workflow holds and carries across
continue-as-new; everything the cockpit shows is derived from it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import Field, model_validator

from schemas.action import Action
from schemas.carnet import AccesCarnet
from schemas.champ import ChampInvalide
from schemas.common import Acteur, LabelledEnum, LongText, Model, Organisme, Territoire
from schemas.contrat import Contrat
from schemas.diagnostic import Diagnostic
from schemas.emploi import Emploi
from schemas.equipe import MembreEquipe
from schemas.evenements import FaitPartenaire
from schemas.incident import Incident, OperationSortante, PolitiqueAppels
from schemas.invitation import InvitationRdv
from schemas.orientation import OrientationDecidee, PropositionOrientation
from schemas.pmsmp import Pmsmp
from schemas.rdv import Contact, Rdv
from schemas.referent import AccesTemporaire, ReferentAffecte, Transfert
from schemas.regles import ReglesVigie
from schemas.sortie import Sortie, Suspension
from schemas.usager import Consentement, IdentifiantsPartenaires, Usager
from schemas.vigie import Alerte, Severite, SignalementPartenaire

AGE_MINIMUM = 16


class Phase(LabelledEnum):
    """Where the parcours stands: named after the last milestone reached."""

    ACCUEIL = "accueil", "Accueil"
    DIAGNOSTIC = "diagnostic", "Diagnostic"
    ORIENTATION = "orientation", "Orientation"
    CONTRAT = "contrat", "Contrat d'engagement"
    PMSMP = "pmsmp", "Immersion (PMSMP)"
    EMPLOI = "emploi", "Suivi dans l'emploi"
    SORTIE = "sortie", "Sortie"


PROCHAINE_ETAPE: dict[Phase, str] = {
    Phase.ACCUEIL: "Diagnostic à réaliser",
    Phase.DIAGNOSTIC: "Orientation à décider",
    Phase.ORIENTATION: "Contrat d'engagement à signer",
    Phase.CONTRAT: "Accompagnement en cours",
    Phase.PMSMP: "Immersion en cours",
    Phase.EMPLOI: "Suivi dans l'emploi",
    Phase.SORTIE: "Parcours clos",
}


class Statut(LabelledEnum):
    """Orthogonal to the phase: is the parcours moving?"""

    EN_COURS = "en_cours", "En cours"
    EN_ALERTE = "en_alerte", "En alerte"
    EN_RUPTURE = "en_rupture", "En rupture"
    EN_INCIDENT = "en_incident", "En incident"
    SUSPENDU = "suspendu", "Suspendu"
    CLOS = "clos", "Clos"


class OrigineAccueil(LabelledEnum):
    SPONTANEE = "spontanee", "Démarche spontanée"
    CAF = "caf", "Orientée par la CAF (RSA)"
    FRANCE_TRAVAIL = "france_travail", "Orientée par France Travail"
    SERVICE_SOCIAL = "service_social", "Orientée par un service social"
    MISSION_LOCALE = "mission_locale", "Orientée par la Mission Locale"
    AUTRE = "autre", "Autre"


class Accueil(Model):
    """First reception (PASIP): identity, contact, territory, identifiers, consent."""

    accueilli_le: date
    usager: Usager
    territoire: Territoire
    origine: OrigineAccueil = OrigineAccueil.SPONTANEE
    identifiants: IdentifiantsPartenaires = Field(default_factory=IdentifiantsPartenaires)
    consentement: Consentement
    besoins_exprimes: LongText = ""
    # The HMAC of the NIR typed at the accueil (importation/nir.py), never the NIR: how a list
    # imported later recognises the person. Set by the web app from the request's ``nir``.
    nir_empreinte: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")

    @model_validator(mode="after")
    def _coherent(self) -> Accueil:
        if self.usager.age_le(self.accueilli_le) < AGE_MINIMUM:
            raise ChampInvalide(
                "usager.date_naissance",
                f"Le parcours s'adresse aux personnes de {AGE_MINIMUM} ans et plus",
            )
        if self.consentement.recueilli_le > self.accueilli_le:
            raise ChampInvalide(
                "consentement.recueilli_le",
                "Le consentement ne peut pas être recueilli après l'accueil",
            )
        return self


class Categorie(LabelledEnum):
    """Families of timeline entries (filters of the timeline, indicators)."""

    ACCUEIL = "accueil", "Accueil"
    DIAGNOSTIC = "diagnostic", "Diagnostic"
    ORIENTATION = "orientation", "Orientation"
    REFERENT = "referent", "Référent"
    CONTRAT = "contrat", "Contrat d'engagement"
    ACTION = "action", "Actions"
    PMSMP = "pmsmp", "Immersion (PMSMP)"
    EMPLOI = "emploi", "Emploi"
    RDV = "rdv", "Rendez-vous"
    CONTACT = "contact", "Contact"
    VIGIE = "vigie", "Vigie"
    INCIDENT = "incident", "Incident"
    PARTENAIRE = "partenaire", "Événement partenaire"
    NOTIFICATION = "notification", "Notification"
    SORTIE = "sortie", "Sortie"
    DOSSIER = "dossier", "Dossier"
    EQUIPE = "equipe", "Équipe de suivi"
    NOTE = "note", "Note"


class EvenementTimeline(Model):
    """One line of the business timeline: who did what, when."""

    seq: int
    enregistre_le: datetime
    le: date = Field(description="Jour où le fait a eu lieu")
    categorie: Categorie
    code: str
    libelle: str
    auteur: Acteur
    details: dict[str, str] = Field(default_factory=dict)
    sensible: bool = False


class PassagePhase(Model):
    phase: Phase
    du: date
    au: date | None = None


class ParcoursState(Model):
    parcours_id: str
    version: int = Field(
        default=0, description="Numéro de chaque changement, vigie comprise (ordonne la projection)"
    )
    version_metier: int = Field(
        default=0,
        description="Ne change qu'avec une commande, un événement partenaire ou un "
        "sous-processus : la version vue par une personne (ETag, If-Match)",
    )
    ouvert_le: date
    accueil: Accueil
    usager: Usager
    territoire: Territoire
    identifiants: IdentifiantsPartenaires
    consentement: Consentement
    phase: Phase = Phase.ACCUEIL
    phases: list[PassagePhase] = Field(default_factory=list)
    organisme: Organisme | None = None
    referent: ReferentAffecte | None = None
    transfert: Transfert | None = None
    acces_temporaires: list[AccesTemporaire] = Field(default_factory=list)
    equipe: list[MembreEquipe] = Field(
        default_factory=list, description="Équipe de suivi, anciens membres compris"
    )
    diagnostics: list[Diagnostic] = Field(default_factory=list)
    proposition_orientation: PropositionOrientation | None = None
    orientations: list[OrientationDecidee] = Field(default_factory=list)
    contrat: Contrat | None = None
    contrats_passes: list[Contrat] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    pmsmp: list[Pmsmp] = Field(default_factory=list)
    emploi: Emploi | None = None
    emplois_passes: list[Emploi] = Field(default_factory=list)
    rdvs: list[Rdv] = Field(default_factory=list)
    rappels_en_pause: str | None = Field(default=None, description="Motif de la pause des rappels")
    contacts: list[Contact] = Field(default_factory=list)
    situation_partenaires: dict[str, FaitPartenaire] = Field(default_factory=dict)
    signalements: list[SignalementPartenaire] = Field(default_factory=list)
    evenements_appliques: list[str] = Field(default_factory=list)
    alertes: list[Alerte] = Field(default_factory=list)
    operations: list[OperationSortante] = Field(default_factory=list)
    incidents: list[Incident] = Field(default_factory=list)
    suspension: Suspension | None = None
    sortie: Sortie | None = None
    regles: ReglesVigie | None = None
    politique_appels: PolitiqueAppels = Field(default_factory=PolitiqueAppels)
    acces_carnet: list[AccesCarnet] = Field(default_factory=list)
    invitations: list[InvitationRdv] = Field(default_factory=list)
    timeline: list[EvenementTimeline] = Field(default_factory=list)
    compteurs: dict[str, int] = Field(default_factory=dict, description="Numérotation interne")

    @property
    def clos(self) -> bool:
        return self.sortie is not None

    @property
    def statut(self) -> Statut:
        if self.sortie is not None:
            return Statut.CLOS
        if self.suspension is not None:
            return Statut.SUSPENDU
        if any(i.actif for i in self.incidents):
            return Statut.EN_INCIDENT
        if any(a.severite == Severite.RUPTURE for a in self.alertes):
            return Statut.EN_RUPTURE
        if self.alertes:
            return Statut.EN_ALERTE
        return Statut.EN_COURS

    @property
    def diagnostic(self) -> Diagnostic | None:
        return self.diagnostics[-1] if self.diagnostics else None

    @property
    def orientation(self) -> OrientationDecidee | None:
        return self.orientations[-1] if self.orientations else None

    @property
    def pmsmp_en_cours(self) -> Pmsmp | None:
        return next((p for p in reversed(self.pmsmp) if p.en_cours), None)

    def derniere_interaction(self) -> date:
        """The last day the person was seen or reached (contact, kept appointment, signature…)."""
        days = [self.ouvert_le, *(c.le for c in self.contacts)]
        days += [e.le for e in self.timeline if e.details.get("interaction") == "oui"]
        return max(days)

    def next_number(self, kind: str) -> int:
        self.compteurs[kind] = self.compteurs.get(kind, 0) + 1
        return self.compteurs[kind]


class ParcoursInput(Model):
    """Workflow input: a new parcours from its accueil, or a state carried over."""

    parcours_id: str
    accueil: Accueil | None = None
    auteur: Acteur | None = None
    referent: Acteur | None = Field(
        default=None, description="Référent désigné à l'accueil (sinon l'auteur, s'il est référent)"
    )
    etat: ParcoursState | None = None
    seuil_continue_as_new: int | None = Field(
        default=None, description="Tests only: continue as new past this many history events"
    )
    politique_appels: PolitiqueAppels | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    # Carried by a new parcours so that its opening is one workflow task, not an activity
    # and a task per item (issue 16): absent, the workflow does as before.
    regles: ReglesVigie | None = Field(
        default=None, description="Règles de la vigie du territoire, chargées par qui l'ouvre"
    )
    droits_rsa: dict[str, Any] | None = Field(
        default=None,
        description="Réponse de la CAF à la lecture des droits RSA, faite avant le démarrage "
        "(l'import la fait par lot) : le parcours ne la refait pas",
    )
    sans_referent_annonce: bool = Field(
        default=False,
        description="Ouvert sans référent par un import qui le dit à la coordination une fois "
        "pour toutes ses lignes : la rupture « sans référent » de l'ouverture ne lui est pas "
        "redite parcours par parcours",
    )
    projete: bool = Field(
        default=False,
        description="L'état (`etat`) est l'ouverture calculée par qui l'ouvre (l'import), déjà "
        "écrite au modèle de lecture, attributs de recherche posés au démarrage : le parcours "
        "ne la projette pas de nouveau",
    )
