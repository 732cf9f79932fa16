"""What the three child workflows (contrat, PMSMP, emploi) share: their skeleton (one lock, a
loop that wakes on a change or on the next day of their calendar, one way to report to the
parcours), a journal of notes and messages for it, and how they refuse a command."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from pydantic import BaseModel

    from core.clock import local_day, start_of_day
    from schemas.common import CONFLIT_DE_VERSION, MESSAGE_CONFLIT, Acteur, Ordre
    from schemas.enfants import Envoi, NoteTimeline
    from schemas.erreurs import CodeErreur
    from schemas.parcours import Categorie

from workflows.minuterie import JAMAIS_ANNULEE, Reveil


class Journal:
    """Notes and messages gathered during one change, sent to the parcours with the snapshot."""

    def __init__(self, categorie: Categorie) -> None:
        self.categorie = categorie
        self.notes: list[NoteTimeline] = []
        self.envois: list[Envoi] = []

    def noter(
        self,
        code: str,
        libelle: str,
        auteur: Acteur | None = None,
        *,
        le: date | None = None,
        interaction: bool = False,
        **details: str,
    ) -> None:
        if interaction:
            details["interaction"] = "oui"
        self.notes.append(
            NoteTimeline(
                le=le or aujourd_hui(),
                categorie=self.categorie,
                code=code,
                libelle=libelle,
                auteur=auteur or Acteur.plateforme(),
                details=details,
            )
        )

    def envoyer(self, destinataire: str, sujet: str, texte: str, *, sms: bool = False) -> None:
        self.envois.append(Envoi(destinataire=destinataire, sujet=sujet, texte=texte, sms=sms))

    def vider(self) -> tuple[list[NoteTimeline], list[Envoi]]:
        notes, envois = self.notes, self.envois
        self.notes, self.envois = [], []
        return notes, envois


def refus(message: str, champ: str | None = None) -> ApplicationError:
    # the field to fix, if any, travels in the details (data: replay-safe); the API then
    # answers 422 naming it instead of 409
    details = [{"erreurs": [{"champ": champ, "message": message}]}] if champ else []
    return ApplicationError(message, *details, type=CodeErreur.COMMANDE_REFUSEE, non_retryable=True)


def date_chiffres(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def verifier_version(ordre: Ordre[Any], version: int) -> None:
    """Optimistic versioning: first check of every command's validator, which each handler
    runs again under its lock. ``version`` is the child's own (see ``Ordre``)."""
    if ordre.perime(version):
        raise ApplicationError(
            MESSAGE_CONFLIT, {"version": version}, type=CONFLIT_DE_VERSION, non_retryable=True
        )


def aujourd_hui() -> date:
    return local_day(workflow.now())


def jusqu_a(jour: date) -> timedelta:
    """Time left until midnight (Paris) starting that day; never negative."""
    return max(start_of_day(jour) - workflow.now(), timedelta(0))


def prochain(jours: list[date]) -> date | None:
    today = aujourd_hui()
    futurs = [d for d in jours if d > today]
    return min(futurs, default=None)


def maintenant() -> datetime:
    return workflow.now()


class Attente:
    """A child's wait for a change or its next day. Runs started by this code never cancel a
    timer (issue 25, ``workflows/minuterie.py``); runs started before keep the bounded wait
    whose timer is cancelled (``workflow.patched``, asked at the first wait)."""

    def __init__(self) -> None:
        self._reveil = Reveil()
        self._sans_annulation: bool | None = None

    async def jour_venu(self, change: Callable[[], bool], jour: date | None) -> bool:
        """Wait until ``change()`` or the start of ``jour`` (None: no day): whether it came."""
        if self._sans_annulation is None:
            self._sans_annulation = workflow.patched(JAMAIS_ANNULEE)
        if self._sans_annulation:
            self._reveil.armer(start_of_day(jour) if jour else None)
            await workflow.wait_condition(lambda: change() or self._reveil.sonne)
            return self._reveil.prendre()
        try:
            await workflow.wait_condition(change, timeout=jusqu_a(jour) if jour else None)
        except TimeoutError:
            return True
        return False


class Enfant:
    """The skeleton of a child workflow. Its commands and the parcours' signals change it under
    ``_verrou`` and end with ``_informer``; ``_vivre`` is its run until it ends."""

    SIGNAL: ClassVar[str]  # the parcours' signal that receives this child's news

    def _commencer(self, parent_id: str, categorie: Categorie) -> None:
        self.parent_id = parent_id
        self.journal = Journal(categorie)
        self._verrou = asyncio.Lock()
        self._attente = Attente()
        self._change = False

    async def _vivre(
        self,
        en_cours: Callable[[], bool],
        jour: Callable[[], date | None],
        horloge: Callable[[], Awaitable[None]],
    ) -> None:
        """While it runs: wait for a change or the next day of its calendar, and on that day
        let the calendar act, under the lock. Then wait for the handlers still running."""
        while en_cours():
            if await self._attente.jour_venu(lambda: self._change, jour()):
                async with self._verrou:
                    await horloge()
            self._change = False
        await workflow.wait_condition(workflow.all_handlers_finished)

    def _evolution(self, notes: list[NoteTimeline], envois: list[Envoi]) -> BaseModel:
        """The news for the parcours: the child's snapshot, its version moved on."""
        raise NotImplementedError

    async def _informer(self) -> None:
        self._change = True
        notes, envois = self.journal.vider()
        await workflow.get_external_workflow_handle(self.parent_id).signal(
            self.SIGNAL, self._evolution(notes, envois)
        )
