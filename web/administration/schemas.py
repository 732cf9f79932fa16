"""What an administrator sends to create or change a structure or an account, and what the
administration answers. One family of models per concept, shared by the API, the cockpit's
forms and the command line."""

from __future__ import annotations

from datetime import datetime

from pydantic import EmailStr, Field, field_validator
from stdnum.exceptions import ValidationError as NumeroInvalide
from stdnum.fr import siret as stdnum_siret

from schemas.common import Model, Organisme, Role, Territoire, Text

DOMAINE = r"^[a-z0-9-]+(\.[a-z0-9-]+)+$"


class StructureSaisie(Model):
    nom: Text
    type: Organisme
    siret: str | None = Field(default=None, max_length=20)
    territoires: list[Territoire] = Field(min_length=1, max_length=4)
    domaines: list[str] = Field(default_factory=list, max_length=10)
    contact_nom: Text | None = None
    contact_email: EmailStr | None = None
    contact_telephone: str | None = Field(default=None, max_length=30)

    @field_validator("siret")
    @classmethod
    def _siret(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            return str(stdnum_siret.validate(value))
        except NumeroInvalide:
            raise ValueError(
                "SIRET invalide : 14 chiffres attendus, dont la clé de contrôle"
            ) from None

    @field_validator("domaines")
    @classmethod
    def _domaines(cls, values: list[str]) -> list[str]:
        import re

        propres = [v.strip().lower().removeprefix("@") for v in values if v.strip()]
        for domaine in propres:
            if not re.match(DOMAINE, domaine):
                raise ValueError(f"Domaine de courriel invalide : « {domaine[:60]} »")
        return propres


class StructureVue(Model):
    id: str
    nom: str
    type: Organisme
    type_libelle: str
    siret: str | None
    territoires: list[Territoire]
    domaines: list[str]
    contact_nom: str | None
    contact_email: str | None
    contact_telephone: str | None


class CompteSaisie(Model):
    email: EmailStr
    nom: Text
    role: Role
    structure_id: str | None = Field(default=None, max_length=80)
    territoire: Territoire | None = None


class CompteModification(Model):
    nom: Text | None = None
    role: Role | None = None
    structure_id: str | None = Field(default=None, max_length=80)
    territoire: Territoire | None = None


class Desactivation(Model):
    """Deactivating a référent who holds parcours: each goes to another référent (``repartition``:
    parcours id → account id), or all to one (``tous_vers``)."""

    tous_vers: str | None = Field(default=None, max_length=80)
    repartition: dict[str, str] = Field(default_factory=dict, max_length=2000)
    motif: Text = "Départ du référent : compte désactivé"


class Activation(Model):
    mot_de_passe: str = Field(min_length=12, max_length=200)
    confirmation: str = Field(max_length=200)


class CompteVue(Model):
    id: str
    email: str
    nom: str
    role: Role
    role_libelle: str
    structure_id: str | None
    organisme: Organisme | None
    territoire: Territoire | None
    statut: str
    statut_libelle: str
    derniere_connexion: datetime | None
    cree_le: datetime


class JetonVue(Model):
    id: str
    nom: str
    cree_le: datetime
    expire_le: datetime | None
    revoque: bool


class EntreeJournal(Model):
    le: datetime
    par: str
    action: str
    detail: str


class ParcoursDetenu(Model):
    id: str
    nom: str
    phase: str


class ImportComptes(Model):
    """A list of a structure's professionals (XLSX or CSV, base64 as for the people's lists):
    previewed first; ``confirmer`` creates the new accounts, each invited by e-mail."""

    nom_fichier: str = Field(min_length=1, max_length=200)
    contenu: str = Field(min_length=1, max_length=1_000_000)
    correspondance: dict[str, str] | None = Field(default=None, max_length=10)
    confirmer: bool = False


class LigneCompte(Model):
    numero: int
    nom: str
    email: str
    role: Role | None
    territoire: Territoire | None
    action: str  # creer, deja_connu, rejetee
    resultat: str | None  # cree, rejetee (after confirmation)
    compte_id: str | None
    erreurs: list[dict[str, str]]


class BilanImportComptes(Model):
    structure_id: str
    entetes: list[str]
    correspondance: dict[str, str]
    confirme: bool
    actions: dict[str, int]
    lignes: list[LigneCompte]
