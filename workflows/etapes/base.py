"""What every step handler receives and uses: the workflow as a context, and date checks."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from pydantic import BaseModel

from core.clock import PARIS
from schemas.common import Acteur, Ordre
from schemas.incident import TypeOperation
from schemas.parcours import Categorie, ParcoursState, Phase
from workflows.declaration import CommandeRefusee

MOIS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def jour_fr(day: date) -> str:
    return f"{day.day} {MOIS[day.month - 1]} {day.year}"


def quand(d: datetime) -> str:
    """An appointment's moment, as the person reads it: « 3 décembre 2026 à 9 h 05 »."""
    local = d.astimezone(PARIS)
    return f"{jour_fr(local.date())} à {local.hour} h {local.minute:02d}"


# « 1 décembre » is « 1er décembre » in French (core/formats.premier_du_mois does it for the
# pages; the workflows keep their own month table, free of Babel, for determinism).
_PREMIER = re.compile(rf"(?<![\d\w.,])1 ({'|'.join(MOIS)})\b")


# The texts sent to the person stay in the GSM 03.38 alphabet, or each SMS costs two to three
# times as much (core/sms.py): « août » is written « aout », as the 1990 spelling reform allows,
# because « û » is not in that alphabet (tests/agendas/test_gabarits_gsm.py).
def pour_la_personne(texte: str) -> str:
    return _PREMIER.sub(r"1er \1", texte).replace("août", "aout")


def quand_message(d: datetime) -> str:
    """When, in a message to the person."""
    return pour_la_personne(quand(d))


def jour_message(d: date) -> str:
    """A day, in a message to the person."""
    return pour_la_personne(jour_fr(d))


class Contexte(Protocol):
    """The parcours workflow, as seen by step handlers: state, clock, journal, side effects."""

    s: ParcoursState

    def now(self) -> datetime: ...

    def today(self) -> date: ...

    def nouvel_id(self) -> str: ...

    def noter(
        self,
        categorie: Categorie,
        code: str,
        libelle: str,
        auteur: Acteur,
        *,
        le: date | None = None,
        details: dict[str, str] | None = None,
        sensible: bool = False,
        interaction: bool = False,
    ) -> None: ...

    def changer_phase(self, phase: Phase, le: date) -> None: ...

    def lancer_operation(self, operation: TypeOperation, donnees: BaseModel) -> None: ...

    async def proposer_orientation(self) -> None: ...

    async def demarrer_enfant(
        self, workflow_type: str, arg: BaseModel, workflow_id: str
    ) -> None: ...

    async def signaler(self, workflow_id: str, signal: str, arg: BaseModel) -> None: ...


Appliquer = Callable[[Contexte, Ordre[Any]], Awaitable[None]]
Verifier = Callable[[ParcoursState, Any, date], None]


@dataclass(frozen=True)
class Commande:
    """A command of the parcours: its business checks and its effect (its input model is in
    the transition table)."""

    appliquer: Appliquer
    verifier: Verifier | None = None


def verifier_jour(
    s: ParcoursState, jour: date, today: date, quoi: str, champ: str | None = None
) -> None:
    """A reported fact happened between the accueil and today (``champ``: the field to fix)."""
    if jour > today:
        raise CommandeRefusee(
            f"{quoi} ne peut pas être dans le futur ({jour_fr(jour)})", champ=champ
        )
    if jour < s.ouvert_le:
        raise CommandeRefusee(
            f"{quoi} ne peut pas précéder l'accueil du {jour_fr(s.ouvert_le)}", champ=champ
        )


def verifier_apres_phase(s: ParcoursState, jour: date, quoi: str, champ: str | None = None) -> None:
    debut = s.phases[-1].du if s.phases else s.ouvert_le
    if jour < debut:
        raise CommandeRefusee(
            f"{quoi} ne peut pas précéder l'entrée en phase « {s.phase.label} » ({jour_fr(debut)})",
            champ=champ,
        )
