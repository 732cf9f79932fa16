"""The person accompanied: identity, contacts, identifiers at partners, consent."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from schemas.common import Model, Text

# French numbers as people type them, or E.164 (imports store French and Swiss numbers so)
PHONE_PATTERN = r"^(?:(?:\+33 ?|0)[1-9](?:[ .-]?\d{2}){4}|\+41[1-9]\d{8})$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"


class Usager(Model):
    nom: Text
    prenom: Text
    date_naissance: date
    telephone: str | None = Field(default=None, pattern=PHONE_PATTERN, examples=["06 12 34 56 78"])
    email: str | None = Field(default=None, pattern=EMAIL_PATTERN, max_length=200)
    adresse: str | None = Field(default=None, max_length=300)
    code_postal: str = Field(pattern=r"^(74|01)\d{3}$", examples=["74000"])
    commune: Text

    def age_le(self, jour: date) -> int:
        years = jour.year - self.date_naissance.year
        before_birthday = (jour.month, jour.day) < (
            self.date_naissance.month,
            self.date_naissance.day,
        )
        return years - (1 if before_birthday else 0)

    @property
    def nom_complet(self) -> str:
        return f"{self.prenom} {self.nom.upper()}"


class IdentifiantsPartenaires(Model):
    """The person's identifiers in partner systems: how partner events find the parcours."""

    france_travail: str | None = Field(
        default=None, pattern=r"^[0-9]{7}[0-9A-Z]$", description="Identifiant France Travail"
    )
    caf: str | None = Field(
        default=None, pattern=r"^[0-9]{7}$", description="Numéro allocataire CAF"
    )
    msa: str | None = Field(default=None, pattern=r"^[0-9]{6,13}$", description="Numéro MSA")
    pass_iae: str | None = Field(
        default=None, pattern=r"^[0-9]{12}$", description="Numéro PASS IAE"
    )
    salarie: str | None = Field(
        default=None,
        pattern=r"^[0-9]{14}:[A-Za-z0-9-]{1,30}$",
        description="SIRET de l'employeur et matricule du salarié, « SIRET:matricule »",
    )
    rdv_solidarites: str | None = Field(
        default=None, pattern=r"^[0-9]{1,18}$", description="Identifiant d'usager RDV-Solidarités"
    )

    def pairs(self) -> list[tuple[str, str]]:
        """(kind, value) for each identifier set, as partner events carry them."""
        return [(kind, value) for kind, value in self.model_dump().items() if value]


class RectificationIdentite(Model):
    """The person asks to correct their identity or contact details (RGPD right to rectification)."""

    usager: Usager
    motif: str = Field(min_length=3, max_length=500)


class Consentement(Model):
    """What the person agreed to share. Recorded at accueil, changeable at any time."""

    partage_partenaires: bool = Field(
        description="Partage des informations du parcours avec les organismes partenaires"
    )
    themes_sensibles: bool = Field(
        description="Recueil des informations sensibles (santé, justice) dans le diagnostic"
    )
    recueilli_le: date
