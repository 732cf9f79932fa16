"""What the three child workflows share: a journal of notes and messages for the parcours,
and the one way to report to it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from core.clock import local_day, start_of_day
    from schemas.common import CONFLIT_DE_VERSION, MESSAGE_CONFLIT, Acteur, Ordre
    from schemas.enfants import Envoi, NoteTimeline
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
