"""How a command of the parcours is declared, next to its handler (a step module of
workflows/etapes/, or a child workflow): its name, the phases where it may be given, who may
give it, the workflow that executes it, the phase it leads to, and how the cockpit shows it.
workflows/transitions.py gathers the declarations and judges a command against them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from pydantic import BaseModel

from core.francais import a_groupe
from schemas.common import Acteur, Role
from schemas.contrat import EtatContrat
from schemas.erreurs import CodeErreur
from schemas.parcours import ParcoursState, Phase


class Cible(Enum):
    """The workflow that executes the command: the parcours itself or one of its children."""

    PARCOURS = "parcours"
    CONTRAT = "contrat"
    PMSMP = "pmsmp"
    EMPLOI = "emploi"


class Qui(Enum):
    REFERENT = "le référent du parcours"
    NOUVEAU_REFERENT = "le nouveau référent"
    COORDINATEUR = "un coordinateur du territoire"
    ADMINISTRATEUR = "un administrateur"
    # The person, by the personal link of an invitation (issue 18): no API route, no account.
    PERSONNE = "la personne elle-même"
    # The structure of a prescribed service, by the link of its orientation (ticket 20).
    STRUCTURE = "la structure sollicitée"
    # The organiser of a collective session the person is registered to (issue 18, item 3),
    # for that registration's appointment only: from the session's own routes.
    ANIMATEUR = "l'animateur de la session collective"


def reserve_a(qui: frozenset[Qui] | set[Qui]) -> str:
    """« au référent du parcours, à un coordinateur du territoire ou à un administrateur »."""
    groupes = [a_groupe(q.value) for q in Qui if q in qui]  # the enum's order, every time
    return (
        " ou ".join(groupes) if len(groupes) < 3 else f"{', '.join(groupes[:-1])} ou {groupes[-1]}"
    )


# The cockpit shows the commands by group, in this order, under these titles.
GROUPES: dict[str, str] = {
    "diagnostic": "Diagnostic",
    "orientation": "Orientation",
    "referent": "Référent unique",
    "contrat": "Contrat d'engagement",
    "action": "Actions",
    "pmsmp": "Immersion (PMSMP)",
    "emploi": "Suivi dans l'emploi",
    "rdv": "Rendez-vous",
    "contact": "Contacts et réunions",
    "dossier": "Dossier",
    "equipe": "Équipe de suivi",
    "coordination": "Coordination",
    "incident": "Incidents",
    "sortie": "Sortie",
}

Condition = Callable[[ParcoursState], str | None]

OUVERTES = frozenset(Phase) - {Phase.SORTIE}
APRES_ORIENTATION = frozenset({Phase.ORIENTATION, Phase.CONTRAT, Phase.PMSMP, Phase.EMPLOI})
REFERENT = frozenset({Qui.REFERENT})
PERSONNE = frozenset({Qui.PERSONNE})
STRUCTURE = frozenset({Qui.STRUCTURE})
ANIMATEUR = frozenset({Qui.ANIMATEUR})
# Commands given from a page or route of their own (a link's page, with no account; a collective
# session's routes), never by the parcours' API.
PAR_LIEN = frozenset({Qui.PERSONNE, Qui.STRUCTURE, Qui.ANIMATEUR})
REFERENT_OU_COORDINATION = frozenset({Qui.REFERENT, Qui.COORDINATEUR, Qui.ADMINISTRATEUR})
COORDINATION = frozenset({Qui.COORDINATEUR, Qui.ADMINISTRATEUR})


ANIMATEUR_DE = "animateur:"


def animateur(inscription_id: str, nom: str) -> Acteur:
    """The organiser of a collective session, acting on one registration's appointment: the
    session's service (services/sessions_collectives.py) checked who they are; the workflow
    lets this actor touch only the appointment that registration became."""
    return Acteur(id=f"{ANIMATEUR_DE}{inscription_id}", nom=nom, role=Role.REFERENT)


def inscription_animee(acteur: Acteur) -> str | None:
    """The registration an animator acts on, or None for any other actor."""
    if not acteur.id.startswith(ANIMATEUR_DE):
        return None
    return acteur.id.removeprefix(ANIMATEUR_DE)


@dataclass(frozen=True)
class Transition:
    commande: str
    libelle: str
    modele: type[BaseModel]  # what the executing workflow receives (inside an Ordre)
    phases: frozenset[Phase]
    qui: frozenset[Qui]
    cible: Cible = Cible.PARCOURS
    condition: Condition | None = None
    pendant_suspension: bool = False
    groupe: str = "parcours"
    # The phase the command leads to, when its handler changes it (workflows/phases.py).
    vers: Phase | None = None


def exige(texte: str) -> Callable[[Condition], Condition]:
    """What the condition asks for, in French: the API's documentation of each command
    (web/api/parcours/commandes.py) is derived from it."""

    def poser(condition: Condition) -> Condition:
        setattr(condition, "prerequis", texte)  # noqa: B010 — a function attribute
        return condition

    return poser


def prerequis(condition: Condition | None) -> str:
    return str(getattr(condition, "prerequis", "")) if condition is not None else ""


ACTIF = (EtatContrat.ACTIF, EtatContrat.A_REVOIR)  # a contract that is running


class CommandeRefusee(Exception):
    """A business refusal, with the French sentence shown to the person — and, when changing
    one field would make it acceptable, that field's name (then a 422 beside the field, not a
    409: the state is fine, the input is not)."""

    def __init__(
        self, message: str, code: str = CodeErreur.COMMANDE_REFUSEE, champ: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.champ = champ

    def details(self) -> dict[str, list[dict[str, str]]]:
        """What the refusal carries out of the workflow (data only: replay-safe)."""
        return erreurs_du_champ(self.champ, self.message)


def erreurs_du_champ(champ: str | None, message: str) -> dict[str, list[dict[str, str]]]:
    return {"erreurs": [{"champ": champ, "message": message}]} if champ else {}
