"""Loading the demo: accounts, then each scenario played through the real workflows."""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, datetime

from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import WorkflowAlreadyStartedError

from core.clock import local_day
from core.settings import Settings
from devstack.demo.comptes import comptes_demo, creer_comptes
from devstack.demo.scenarios import Scenario, scenarios
from schemas.common import Acteur
from schemas.rdv import ResultatRdv
from services.commandes import resoudre
from services.parcours_client import CommandeImpossible, ParcoursClient
from store.db import SessionFactory, create_schema, make_engine, session_factory

log = logging.getLogger("parcours.demo")
NAMESPACE = uuid.UUID("6f1c8a52-74a0-4c39-9d0e-000000000074")
NOMBRE = 240


def acteurs() -> dict[str, Acteur]:
    return {
        c.id: Acteur(
            id=c.id, nom=c.nom, role=c.role, organisme=c.organisme, territoire=c.territoire
        )
        for c in comptes_demo()
    }


async def jouer(
    pc: ParcoursClient, scenario: Scenario, qui: dict[str, Acteur], sessions: SessionFactory
) -> bool:
    """Play one scenario; False if it was already loaded."""
    pid = str(uuid.uuid5(NAMESPACE, f"demo-{scenario.numero}"))
    try:
        state = await pc.ouvrir(scenario.accueil, qui[scenario.compte_accueil], parcours_id=pid)
    except WorkflowAlreadyStartedError:
        return False
    for etape in scenario.etapes:
        donnees = etape.donnees
        if etape.dernier_rdv and isinstance(donnees, ResultatRdv):
            donnees = donnees.model_copy(update={"rdv_id": state.rdvs[-1].id})
        async with sessions() as session:
            donnees = await resoudre(session, etape.commande, donnees, local_day(datetime.now(UTC)))
        try:
            state = await pc.commander(pid, etape.commande, donnees, qui[etape.compte_id])
        except CommandeImpossible as err:
            log.warning(
                "Démo n° %s (%s) : « %s » refusée : %s",
                scenario.numero,
                scenario.cible.value,
                etape.commande,
                err.message,
            )
            break
    return True


async def charger(settings: Settings, client: Client, task_queue: str, nombre: int = NOMBRE) -> int:
    engine = make_engine(settings.effective_database_url)
    await create_schema(engine)
    sessions = session_factory(engine)
    async with sessions() as session:
        await creer_comptes(session)
    pc, qui = ParcoursClient(client, task_queue), acteurs()
    today = local_day(datetime.now(UTC))
    limite = asyncio.Semaphore(12)

    async def une(scenario: Scenario) -> bool:
        async with limite:
            try:
                return await jouer(pc, scenario, qui, sessions)
            except WorkflowFailureError as err:
                log.error("Démo n° %s : %s", scenario.numero, err)
                return False

    loaded = sum(await asyncio.gather(*(une(s) for s in scenarios(nombre, today))))
    await engine.dispose()
    return loaded
