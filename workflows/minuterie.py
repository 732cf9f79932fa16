"""Durable wake-ups that are never cancelled (issue 25, docs/reliability.md).

A workflow that waits with ``workflow.wait_condition(..., timeout=...)`` cancels that wait's
timer each time the condition comes true first. After a worker SIGKILL, temporalio 1.35 could
write a workflow task where a timer is cancelled and then an Update accepted, and replay them
in the other order: the history no longer replays (« Update machine does not handle this
event: TimerCanceled »). Here no timer is ever cancelled, so that order never exists: the loop
waits on its condition alone, a timer task is armed only when the deadline moves, and a timer
armed for a deadline that has since moved fires and is ignored. Arming only on a move also
spares a timer (two history events) per wake of the parcours (issue 19).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow

# The workflow.patched() id that switches a workflow from the cancelled timers to these.
JAMAIS_ANNULEE = "minuterie-jamais-annulee"
MINIMUM = timedelta(seconds=1)  # a deadline already past: look again in a second, as before


class Reveil:
    """One deadline at a time, watched by timers that are left to fire."""

    def __init__(self) -> None:
        self._armee: datetime | None = None
        self._sonne = False
        # Strong references: a pending workflow task must not be garbage-collected.
        self._taches: list[asyncio.Task[None]] = []

    @property
    def sonne(self) -> bool:
        """The deadline armed last has come (a wake condition for the main loop)."""
        return self._sonne

    def armer(self, moment: datetime | None) -> None:
        """Watch ``moment`` (None: no deadline). Nothing is started if it did not move."""
        if moment == self._armee:
            return
        self._armee = moment
        if moment is not None:
            self._garder(self._sonner(moment))

    def prendre(self) -> bool:
        """True once after the deadline came; the next ``armer`` then arms again."""
        if not self._sonne:
            return False
        self._sonne, self._armee = False, None
        return True

    async def au_plus(self, condition: Callable[[], bool], delai: timedelta) -> bool:
        """``wait_condition(condition, timeout=delai)`` without the cancelled timer: whether
        the condition came true within ``delai``."""
        echu: list[bool] = []

        async def minuterie() -> None:
            await workflow.sleep(delai)
            echu.append(True)

        self._garder(minuterie())
        await workflow.wait_condition(lambda: bool(echu) or condition())
        return condition()

    async def _sonner(self, moment: datetime) -> None:
        await workflow.sleep(max(moment - workflow.now(), MINIMUM))
        if moment == self._armee:  # otherwise the deadline moved: this timer is stale
            self._sonne = True

    def _garder(self, coro: Coroutine[Any, Any, None]) -> None:
        self._taches = [t for t in self._taches if not t.done()]
        self._taches.append(asyncio.create_task(coro))
