"""Who may do what with the employers' events and the social clauses (issue 24, items 5
and 6): the chargés de relation entreprise of a territory (and the administration) manage
those of their territory; référents and coordinators read them, and référents act for the
people they accompany. A chargé sees the people invited or placed, never their dossier."""

from __future__ import annotations

from schemas.common import Role
from services.utilisateur import Utilisateur
from web.erreurs import Refus

LECTEURS = frozenset(
    {Role.CHARGE_ENTREPRISE, Role.ADMINISTRATEUR, Role.REFERENT, Role.COORDINATEUR}
)
GESTIONNAIRES = frozenset({Role.CHARGE_ENTREPRISE, Role.ADMINISTRATEUR})


def est_lecteur(u: Utilisateur) -> bool:
    """Who reads the events and the contracts (the cockpit's menu shows them their link)."""
    return u.role in LECTEURS


def est_gestionnaire(u: Utilisateur) -> bool:
    """Who may create them (in their territory: ``gerer``)."""
    return u.role in GESTIONNAIRES


def lire(u: Utilisateur) -> None:
    if not est_lecteur(u):
        raise Refus(
            403,
            "Réservé aux chargés de relation entreprise et aux professionnels qui accompagnent",
            "interdit",
        )


def du_territoire(u: Utilisateur, bassin: str) -> bool:
    """The administration, or a chargé de relation entreprise of this bassin."""
    if u.est_admin:
        return True
    return (
        u.role == Role.CHARGE_ENTREPRISE
        and u.territoire is not None
        and (u.territoire.value == bassin)
    )


def gestionnaire(u: Utilisateur) -> None:
    """Before anything is read of what they typed: a chargé de relation entreprise or the
    administration (which territory, once the place is known: ``gerer``)."""
    if not est_gestionnaire(u):
        raise Refus(
            403,
            "Réservé aux chargés de relation entreprise du territoire et à l'administration",
            "interdit",
        )


def gerer(u: Utilisateur, bassin: str) -> None:
    if not du_territoire(u, bassin):
        raise Refus(
            403,
            "Réservé aux chargés de relation entreprise du territoire et à l'administration",
            "interdit",
        )


def personnes_visibles(u: Utilisateur, bassin: str) -> str | bool | None:
    """Whose people the reader sees: everyone (True), a référent's own (their id), nobody
    (False)."""
    if du_territoire(u, bassin):
        return True
    if u.est_referent:
        return u.id
    return False
