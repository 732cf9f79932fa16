"""Invitations to book an appointment: a personal link sent by SMS and/or e-mail, opening the
free slots of the référent's agenda for one motif, until the invitation expires."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import AwareDatetime, Field

from schemas.carnet import CanalLien
from schemas.common import LabelledEnum, Model
from schemas.rdv import ModeRdv


class DemandeInvitation(Model):
    """What the référent asks."""

    motif: str = Field(description="Code du motif (rules/rendez_vous.yaml)")
    canal: CanalLien = CanalLien.LES_DEUX


class OutilDeReservation(Model):
    """The external appointment tool where the person books (RDV_OUTIL_EXTERNE), and what its
    booking link needs (gip-inclusion/rdv-insertion, app/services/invitations/compute_link.rb):
    the département, the organisations, the motif's category. The person's invitation token is
    asked by the sending activity, never held here."""

    outil: Literal["rdv-solidarites"] = "rdv-solidarites"
    departement: str = Field(pattern=r"^(\d{2,3}|2[AB])$")
    organisation_ids: list[int] = Field(default_factory=list)
    categorie: str | None = Field(default=None, pattern=r"^[a-z0-9_]+$")


class EnvoiInvitation(Model):
    """The same, completed by the web app with the motif's label and its public address: the
    workflow reads no file and draws no secret. The expiry comes from the vigie's rules."""

    motif: str
    libelle: str
    canal: CanalLien
    adresse_publique: str = Field(pattern=r"^https?://")
    # --- rdv dans l'outil externe --- set when the département books in its own tool
    outil: OutilDeReservation | None = None


class StatutInvitation(LabelledEnum):
    ENVOYEE = "envoyee", "Envoyée"
    RESERVEE = "reservee", "Rendez-vous pris"


class InvitationRdv(Model):
    """An invitation in the parcours' state: the fingerprints of its links, never a secret."""

    id: str
    motif: str
    libelle: str
    referent_id: str
    canal: CanalLien
    adresse_publique: str = Field(description="Pour les liens de la relance")
    envoyee_le: date
    expire_le: date = Field(description="Le lien ne sert plus ce jour-là (vigie : expirée)")
    empreintes: list[str] = Field(default_factory=list)
    statut: StatutInvitation = StatutInvitation.ENVOYEE
    relancee: bool = False
    rdv_id: str | None = None
    reservee_le: date | None = None
    # The link sent opens the tool's booking (the person was registered in it), not the page
    # of the platform; the appointment taken there comes back by the tool's webhook.
    outil: OutilDeReservation | None = None


class ReservationParLaPersonne(Model):
    """The slot the person took from their link, already booked in the agenda (store)."""

    invitation_id: str
    reservation_id: str
    debut: datetime
    modalite: ModeRdv
    lieu: str | None = Field(default=None, max_length=300)
    fin: datetime | None = Field(default=None, description="Pour le fichier .ics")


class AnnulationParLaPersonne(Model):
    """The person cancels the appointment taken with this invitation, from their link, before
    the delay of rules/rendez_vous.yaml (checked by the page, which reads the rules)."""

    invitation_id: str


class DemandeConvocation(Model):
    """Convocation sur un créneau libre de son agenda, par le référent du parcours."""

    parcours_id: str = Field(max_length=80)
    motif: str = Field(description="Code du motif (rules/rendez_vous.yaml)", max_length=60)
    plage_id: str = Field(max_length=80)
    debut: AwareDatetime = Field(
        description="Début du créneau libre choisi (GET …/agenda/creneaux), avec fuseau"
    )


class ConvocationSurReservation(Model):
    """Un créneau déjà réservé dans l'agenda du référent pour cette personne."""

    reservation_id: str = Field(max_length=80)


class ConvocationRdv(Model):
    """The same, completed by the web app from the booking (the workflow reads no table)."""

    reservation_id: str
    parcours_id: str
    motif: str
    libelle: str
    debut: datetime
    fin: datetime
    modalite: ModeRdv
    lieu: str | None = Field(default=None, max_length=300)
