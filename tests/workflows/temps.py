"""Moving the time-skipping server's clock to a given day, and waiting for the workflow."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from temporalio.testing import WorkflowEnvironment

from core.clock import PARIS
from core.parcours_client import ParcoursClient
from schemas.parcours import ParcoursState


async def aller_au(env: WorkflowEnvironment, jour: date, heure: int = 12) -> None:
    """Skip time to that day (Paris), at noon by default: well after the midnight timers."""
    cible = datetime.combine(jour, time(heure), tzinfo=PARIS)
    delta = cible - await env.get_current_time()
    if delta > timedelta(0):
        # Let the worker finish what is in flight first: a workflow task still running when the
        # clock jumps would time out in virtual time and leave the test server confused.
        await asyncio.sleep(0.2)
        await env.sleep(delta)


async def attendre(
    pc: ParcoursClient, pid: str, condition: Callable[[ParcoursState], bool], delai: float = 10.0
) -> ParcoursState:
    """The workflow reacts to a timer or a signal asynchronously: poll until it did."""
    fin = asyncio.get_running_loop().time() + delai
    while True:
        state = await pc.etat(pid)
        if condition(state) or asyncio.get_running_loop().time() > fin:
            return state
        await asyncio.sleep(0.05)


def codes(state: ParcoursState) -> set[str]:
    return {a.code for a in state.alertes}
