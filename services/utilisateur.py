"""The person (or machine) behind a request, and what they may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.partners import PartnerConfig
from schemas.common import Acteur, Organisme, Role, Territoire
from schemas.parcours import ParcoursState
from store.comptes import Compte


@dataclass(frozen=True)
class Utilisateur:
    id: str
    nom: str
    email: str
    role: Role
    organisme: Organisme | None
    territoire: Territoire | None
    csrf: str | None = None  # None for API-token clients, which CSRF cannot target
    structure: str | None = None  # the account's structure (store.structures), if any

    @classmethod
    def depuis_compte(cls, compte: Compte, csrf: str | None = None) -> Utilisateur:
        return cls(
            id=compte.id,
            nom=compte.nom,
            email=compte.email,
            role=Role(compte.role),
            organisme=Organisme(compte.organisme) if compte.organisme else None,
            territoire=Territoire(compte.territoire) if compte.territoire else None,
            csrf=csrf,
            structure=compte.structure_id,
        )

    @property
    def acteur(self) -> Acteur:
        return Acteur(
            id=self.id,
            nom=self.nom,
            role=self.role,
            organisme=self.organisme,
            territoire=self.territoire,
        )

    @property
    def est_referent(self) -> bool:
        return self.role == Role.REFERENT

    @property
    def est_coordinateur(self) -> bool:
        return self.role == Role.COORDINATEUR

    @property
    def est_admin(self) -> bool:
        return self.role == Role.ADMINISTRATEUR

    @property
    def administre_des_comptes(self) -> bool:
        """The administration of accounts: everywhere, in a territory, or in a structure."""
        return self.role in ROLES_ADMINISTRATION


ROLES_ADMINISTRATION = frozenset({Role.ADMINISTRATEUR, Role.ADMIN_TERRITOIRE, Role.ADMIN_STRUCTURE})


def peut_lire(u: Utilisateur, s: ParcoursState, today: date) -> bool:
    """Need-to-know, decided on the workflow's own state (source of truth)."""
    if u.role == Role.ADMINISTRATEUR:
        return True
    if u.role == Role.COORDINATEUR:
        return u.territoire == s.territoire
    if u.role == Role.REFERENT:
        if s.referent is not None and s.referent.referent.id == u.id:
            return True
        if (
            s.transfert is not None
            and s.transfert.accuse_le is None
            and s.transfert.vers.id == u.id
        ):
            return True
        if any(a.compte_id == u.id and a.jusqu_au >= today for a in s.acces_temporaires):
            return True
        return membre_peut_lire(u, s)
    return False


def membre_peut_lire(u: Utilisateur, s: ParcoursState) -> bool:
    """A professional of the équipe de suivi reads the dossier while they are in the team and
    the person consents to sharing with partners: leaving the team, or the consent withdrawn,
    cuts access at the next request (the decision is on the workflow's own state). This is
    THE rule for every part of the dossier a member may open (notes, documents…)."""
    if not s.consentement.partage_partenaires or u.role != Role.REFERENT:
        return False
    return any(m.membre.id == u.id and m.present for m in s.equipe)


def est_referent_du_parcours(u: Utilisateur, s: ParcoursState) -> bool:
    return u.role == Role.REFERENT and s.referent is not None and s.referent.referent.id == u.id


def partenaire_utilisateur(config: PartnerConfig) -> Utilisateur:
    """The partner as the audit log records it, whichever way its events came in (API, its own
    webhook format, a batch file)."""
    return Utilisateur(
        id=f"partenaire:{config.id}",
        nom=config.nom,
        email="",
        role=Role.PARTENAIRE,
        organisme=None,
        territoire=None,
    )
