"""Who administers what, decided once for the administration's modules: an
**administrateur** every structure and account, an **administrateur de territoire** the
accounts of its territory, an **administrateur de structure** those of its own structure.
An account outside someone's reach answers exactly like an unknown one (404), so that its
existence does not leak; every change goes to the audit log with its values before and after."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from schemas.common import Role
from schemas.erreurs import CodeErreur
from services.audit import journaliser
from services.utilisateur import Utilisateur
from store.audit import ActionAudit
from store.comptes import Compte
from store.structures import Structure
from web.erreurs import Refus

ROLES_DU_PERSONNEL = (
    Role.REFERENT,
    Role.COORDINATEUR,
    Role.ADMIN_STRUCTURE,
    Role.ADMIN_TERRITOIRE,
    Role.ADMINISTRATEUR,
    Role.CHARGE_ENTREPRISE,
)
# Which roles each kind of administrator may give.
ROLES_ATTRIBUABLES: dict[Role, frozenset[Role]] = {
    Role.ADMINISTRATEUR: frozenset(ROLES_DU_PERSONNEL),
    Role.ADMIN_TERRITOIRE: frozenset(
        {Role.REFERENT, Role.COORDINATEUR, Role.ADMIN_STRUCTURE, Role.CHARGE_ENTREPRISE}
    ),
    Role.ADMIN_STRUCTURE: frozenset({Role.REFERENT, Role.ADMIN_STRUCTURE}),
}
STATUTS = {
    "actif": "Actif",
    "invite": "Invité (lien d'activation envoyé)",
    "en_attente": "En attente d'approbation",
    "desactive": "Désactivé",
}
INTROUVABLE = "Compte introuvable"


def refus_champ(champ: str, message: str, status: int = 422) -> Refus:
    return Refus(
        status, message, CodeErreur.DONNEES_INVALIDES, [{"champ": champ, "message": message}]
    )


def interdit() -> Refus:
    return Refus(403, "Réservé à l'administration des comptes", "interdit")


def exiger_administration(u: Utilisateur) -> None:
    if not u.administre_des_comptes:
        raise interdit()


def aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def liste(valeur: str) -> list[str]:
    return [v for v in valeur.split(",") if v]


# --- Structures -------------------------------------------------------------------------


def structure_visible(u: Utilisateur, s: Structure) -> bool:
    if u.role == Role.ADMINISTRATEUR:
        return True
    if u.role == Role.ADMIN_TERRITOIRE:
        return u.territoire is not None and u.territoire.value in liste(s.territoires)
    return u.role == Role.ADMIN_STRUCTURE and s.id == u.structure


def dans_le_perimetre(u: Utilisateur, c: Compte) -> bool:
    """Whether ``u`` administers the account ``c``."""
    if u.role == Role.ADMINISTRATEUR:
        return True
    if u.role == Role.ADMIN_TERRITOIRE:
        return u.territoire is not None and c.territoire == u.territoire.value
    if u.role == Role.ADMIN_STRUCTURE:
        return u.structure is not None and c.structure_id == u.structure
    return False


def statut(c: Compte) -> str:
    if c.en_attente:
        return "en_attente"
    if not c.actif:
        return "desactive"
    if c.mot_de_passe is None and c.oidc_sub is None:
        return "invite"
    return "actif"


def valeurs_compte(c: Compte) -> dict[str, Any]:
    return {
        "nom": c.nom,
        "email": c.email,
        "role": c.role,
        "structure_id": c.structure_id,
        "territoire": c.territoire,
        "statut": statut(c),
    }


async def compte(session: AsyncSession, u: Utilisateur, compte_id: str) -> Compte:
    exiger_administration(u)
    c = await session.get(Compte, compte_id)
    if c is None or c.role not in ROLES_DU_PERSONNEL or not dans_le_perimetre(u, c):
        raise Refus(404, INTROUVABLE, CodeErreur.COMPTE_INCONNU)
    return c


async def journaliser_changement(
    session: AsyncSession,
    u: Utilisateur | None,
    action: ActionAudit,
    objet: str,
    avant: dict[str, Any] | None,
    apres: dict[str, Any] | None,
    adresse: str | None = None,
) -> None:
    if avant is not None and apres is not None:  # only what changed: the log keeps 500 chars
        changes = [k for k in apres if avant.get(k) != apres[k]]
        avant, apres = {k: avant.get(k) for k in changes}, {k: apres[k] for k in changes}
    detail = json.dumps({"avant": avant, "apres": apres}, ensure_ascii=False, default=str)
    await journaliser(session, u, action, objet, detail, adresse)
