"""Inputs of the calls to partner systems, one model per operation, and their envelope."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from schemas.common import Model
from schemas.incident import TypeOperation
from schemas.invitation import OutilDeReservation
from schemas.rdv_solidarites import InscriptionRdvSolidarites, IssueRdvSolidarites


class AppelPartenaire(Model):
    """Envelope of every outbound call. ``idempotence`` travels as the ``Idempotency-Key``
    header: the partner applies a key once, however many times we retry."""

    idempotence: str
    parcours_id: str
    operation: TypeOperation
    donnees: dict[str, Any]


class NotificationOrientation(Model):
    identifiant_france_travail: str | None
    reference_parcours: str
    organisme: str
    type_orientation: str
    decidee_le: date
    referent: str


class LectureDroitsRsa(Model):
    numero_allocataire: str


class SoumissionPmsmp(Model):
    convention_id: str
    siret: str
    raison_sociale: str
    date_debut: date
    date_fin: date
    objectif: str
    metier: str
    heures_hebdomadaires: float
    tuteur: str
    identifiant_france_travail: str | None = None


class DemandeSiae(Model):
    reference_parcours: str
    pass_iae: str | None = None
    territoire: str
    metier_vise: str | None = None


class LienCarnetAEnvoyer(Model):
    """The carnet link a message must carry. The workflow never holds its secret: the sending
    activity draws it with ``secrets``, puts the link where the text says ``{lien}``, and
    answers only the secret's SHA-256 (``empreinte``)."""

    lien_id: str
    adresse_publique: str = Field(pattern=r"^https?://")
    expire_le: date
    # « rdv »: an invitation's booking link (issue 18), drawn and sent the same way;
    # « orientation »: the answer link sent to a structure (ticket 20, item 2).
    chemin: Literal["carnet", "rdv", "orientation"] = "carnet"


MARQUE_LIEN = "{lien}"


class Sms(Model):
    telephone: str
    texte: str = Field(max_length=640)
    carnet: LienCarnetAEnvoyer | None = None


class CourrierInvitation(Model):
    """A letter inviting a person with neither phone nor e-mail to book (issue 18). The
    activity that makes it draws the short code with ``secrets``, prints it in the PDF, files
    the PDF among the dossier's documents for the référent to post, and answers only the code's
    SHA-256 (``empreinte``), which opens the booking page like a link's (``carnet``)."""

    carnet: LienCarnetAEnvoyer
    prenom: str
    nom: str
    adresse: str
    code_postal: str
    commune: str
    motif: str = Field(description="Libellé du motif")
    referent_id: str = Field(description="Son compte : le téléphone de sa structure")
    referent: str = Field(description="Son nom")
    date_limite: date = Field(description="Dernier jour pour choisir")


class CourrierAnnulation(Model):
    """A letter telling a person with neither phone nor e-mail that the collective session they
    were registered to is cancelled, or that they are withdrawn from it (issue 18). Made and
    filed among the dossier's documents by the same activity as the invitation's letter, for the
    référent to print and post; it has no code (there is nothing to book with it)."""

    prenom: str
    nom: str
    adresse: str
    code_postal: str
    commune: str
    session: str = Field(description="Le titre de la session")
    debut: datetime
    lieu: str | None = None
    raison: str | None = Field(default=None, description="Le motif de l'annulation")
    desinscription: bool = Field(default=False, description="La personne seule est désinscrite")
    referent_id: str = Field(description="Son compte : le téléphone de sa structure")
    referent: str = Field(description="Son nom")


class EvenementCalendrier(Model):
    """The appointment a message joins as an .ics file (issue 18): the same ``uid`` for its
    whole life, so that a calendar moves or removes the event it already holds."""

    uid: str
    titre: str
    debut: datetime
    fin: datetime
    lieu: str | None = None
    sequence: int = Field(default=0, description="Augmentée à chaque changement")
    annule: bool = False


class Courriel(Model):
    """An e-mail. ``destinataire``: an address, ``compte:<id>`` (a professional: also notified in
    the app) or ``coordination:<territoire>`` (every coordinator of that territory)."""

    destinataire: str
    sujet: str
    texte: str
    lien: str | None = Field(default=None, description="Page du cockpit concernée")
    carnet: LienCarnetAEnvoyer | None = None
    # The kind of in-app notification (schemas/notifications.py) for a ``compte:`` recipient.
    sorte: str | None = None
    calendrier: EvenementCalendrier | None = None


class InvitationRdvSolidarites(Model):
    """An invitation's message whose link is the tool's booking page (issue 18, item 5): the
    sending activity asks the tool for the person's invitation token, puts the link where the
    text says ``{lien}`` and sends it by ``sms`` or ``courriel`` (one of them). The token
    never comes back to the workflow."""

    invitation_id: str
    rdv_solidarites_id: str = Field(pattern=r"^\d+$")
    outil: OutilDeReservation
    sms: Sms | None = None
    courriel: Courriel | None = None


MODELES: dict[TypeOperation, type[Model]] = {
    TypeOperation.NOTIFIER_ORIENTATION: NotificationOrientation,
    TypeOperation.LIRE_DROITS_RSA: LectureDroitsRsa,
    TypeOperation.SOUMETTRE_PMSMP: SoumissionPmsmp,
    TypeOperation.DEMANDE_SIAE: DemandeSiae,
    TypeOperation.ENVOYER_SMS: Sms,
    TypeOperation.ENVOYER_COURRIEL: Courriel,
    TypeOperation.INSCRIRE_RDV_SOLIDARITES: InscriptionRdvSolidarites,
    TypeOperation.PRODUIRE_COURRIER: CourrierInvitation,
    TypeOperation.INVITER_DANS_RDV_SOLIDARITES: InvitationRdvSolidarites,
    TypeOperation.PRODUIRE_COURRIER_ANNULATION: CourrierAnnulation,
    TypeOperation.TRANSMETTRE_ISSUE_RDV_SOLIDARITES: IssueRdvSolidarites,
}

# Activity names, so that workflows call them without importing HTTP clients.
ACTIVITE: dict[TypeOperation, str] = {
    TypeOperation.NOTIFIER_ORIENTATION: "france_travail.notifier_orientation",
    TypeOperation.LIRE_DROITS_RSA: "caf.lire_droits_rsa",
    TypeOperation.SOUMETTRE_PMSMP: "immersion.soumettre_convention",
    TypeOperation.DEMANDE_SIAE: "siae.envoyer_demande",
    TypeOperation.ENVOYER_SMS: "sms.envoyer",
    TypeOperation.ENVOYER_COURRIEL: "messagerie.envoyer",
    TypeOperation.INSCRIRE_RDV_SOLIDARITES: "rdv_solidarites.inscrire_usager",
    TypeOperation.PRODUIRE_COURRIER: "courrier.produire",
    TypeOperation.INVITER_DANS_RDV_SOLIDARITES: "rdv_solidarites.envoyer_invitation",
    TypeOperation.PRODUIRE_COURRIER_ANNULATION: "courrier.produire_annulation",
    TypeOperation.TRANSMETTRE_ISSUE_RDV_SOLIDARITES: "rdv_solidarites.transmettre_issue",
}
