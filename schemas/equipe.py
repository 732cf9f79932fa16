"""L'équipe de suivi: the professionals of any structure who accompany the person beside
the référent unique. Membership lives in the parcours' state (it decides who may read the
dossier, services/utilisateur.py); requests to join and notes live in the store."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from schemas.common import Acteur, LabelledEnum, LongText, Model


class RoleEquipe(LabelledEnum):
    CONSEILLER_FRANCE_TRAVAIL = "conseiller_france_travail", "Conseiller France Travail"
    CIP_SIAE = "cip_siae", "CIP de SIAE"
    TRAVAILLEUR_SOCIAL = "travailleur_social", "Travailleur social"
    CONSEILLER_MISSION_LOCALE = "conseiller_mission_locale", "Conseiller Mission Locale"
    CONSEILLER_CAP_EMPLOI = "conseiller_cap_emploi", "Conseiller Cap Emploi"
    TUTEUR = "tuteur", "Tuteur"
    AUTRE = "autre", "Autre professionnel"


Telephone = Field(
    default="",
    max_length=30,
    pattern=r"^[0-9 +().-]*$",
    description="Téléphone professionnel, pour que l'équipe se joigne",
)


class InvitationMembre(Model):
    """What the référent sends to bring a professional into the team."""

    compte_id: str = Field(min_length=1, max_length=80, description="Compte du professionnel")
    role: RoleEquipe
    telephone: str = Telephone


class MembreAjoute(Model):
    """The invitation as the workflow receives it: the account resolved by the web tier."""

    membre: Acteur
    role: RoleEquipe
    structure: str = Field(max_length=200)
    email: str = Field(max_length=200)
    telephone: str = ""
    le: date
    demande_id: str | None = Field(default=None, description="Demande de rattachement acceptée")


class RetraitMembre(Model):
    compte_id: str = Field(min_length=1, max_length=80)
    motif: LongText = ""


class MembreRetire(RetraitMembre):
    le: date


class MembreEquipe(Model):
    """One professional of the team, with their dates of presence."""

    membre: Acteur
    role: RoleEquipe
    structure: str
    email: str
    telephone: str = ""
    du: date
    au: date | None = None

    @property
    def present(self) -> bool:
        return self.au is None
