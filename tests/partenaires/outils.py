"""What the partner tests share: signing like a partner, opening a parcours whose identifiers
the events will carry, reading the read model, waiting for the asynchronous parts."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import httpx
from sqlmodel import col, func, select

from core.ids import parcours_workflow_id
from core.partners import PartnerConfig, load_partners
from partenaires.routage import parcours_ouverts
from schemas.common import Acteur
from schemas.evenements import CleSujet
from schemas.incident import PolitiqueAppels
from schemas.usager import IdentifiantsPartenaires
from services.parcours_client import ParcoursClient
from simulator import emetteur
from store.audit import EntreeAudit
from store.db import SessionFactory
from store.evenements_partenaires import EvenementRecu
from store.parcours import ParcoursRow
from tests import factories
from tests.fixtures.plateforme import Plateforme

T = TypeVar("T")
TYPE_CE = "application/cloudevents+json"
TYPE_LOT = emetteur.CONTENT_TYPE_LOT
RAPIDE = PolitiqueAppels(tentatives=2, premier_delai_s=0.2, delai_max_s=0.5)


def partenaires(p: Plateforme) -> dict[str, PartnerConfig]:
    return load_partners(p.settings.partners_file, p.settings.effective_partner_base_url)


def identifiant_france_travail() -> str:
    return f"{random.randrange(10**7):07d}{random.choice('ABCDEFGHJK')}"


def numero_caf() -> str:
    return f"{random.randrange(10**7):07d}"


def salarie() -> str:
    return f"73282932000074:T-{uuid.uuid4().hex[:10]}"


def evenement(
    p: Plateforme, partenaire: str, type_: str, sujet: str, data: dict[str, Any], **kw: Any
) -> dict[str, Any]:
    return emetteur.construire_evenement(partenaires(p)[partenaire], type_, sujet, data, **kw)


def entetes(
    p: Plateforme, partenaire: str, webhook_id: str, corps: bytes, **kw: Any
) -> dict[str, str]:
    """The headers a partner sends with these exact bytes (kw: horodatage)."""
    secret = partenaires(p)[partenaire].secret
    assert secret is not None
    return {"Content-Type": TYPE_CE, **emetteur.signer(secret, webhook_id, corps, **kw)}


def signe(
    p: Plateforme, partenaire: str, ev: dict[str, Any], **kw: Any
) -> tuple[bytes, dict[str, str]]:
    corps = emetteur.corps(ev)
    return corps, entetes(p, partenaire, ev["id"], corps, **kw)


def signe_lot(p: Plateforme, partenaire: str, evs: list[Any]) -> tuple[bytes, dict[str, str]]:
    """A batch as a partner sends it: the JSON array, signed once as a whole."""
    secret = partenaires(p)[partenaire].secret
    assert secret is not None
    corps = emetteur.corps_lot(evs)
    return corps, emetteur.entetes_lot(secret, corps)


async def poster(
    p: Plateforme, partenaire: str, corps: Any, headers: dict[str, str]
) -> httpx.Response:
    async with p.client() as client:
        return await client.post(
            f"/api/v1/partners/{partenaire}/events", content=corps, headers=headers
        )


async def envoyer(p: Plateforme, partenaire: str, ev: dict[str, Any]) -> httpx.Response:
    corps, headers = signe(p, partenaire, ev)
    return await poster(p, partenaire, corps, headers)


async def envoyer_lot(p: Plateforme, partenaire: str, evs: list[Any]) -> httpx.Response:
    corps, headers = signe_lot(p, partenaire, evs)
    return await poster(p, partenaire, corps, headers)


async def ouvrir(
    p: Plateforme,
    identifiants: IdentifiantsPartenaires,
    *,
    auteur: Acteur = factories.CLAIRE,
    politique: PolitiqueAppels | None = None,
    territoire: Any = None,
) -> str:
    """A parcours opened at accueil today with these identifiers."""
    accueil = factories.accueil_rsa(
        date.today(), **({"territoire": territoire} if territoire else {})
    )
    accueil = accueil.model_copy(update={"identifiants": identifiants})
    client = ParcoursClient(p.env.client, p.task_queue)
    state = await client.ouvrir(accueil, auteur, politique_appels=politique)
    return state.parcours_id


async def attendre(
    quoi: Callable[[], Awaitable[T | None]],
    message: str,
    delai_s: float = 10,
    etat: Callable[[], Awaitable[str]] | None = None,
) -> T:
    """Poll until ``quoi`` returns something truthy (projection and signals are asynchronous).
    ``etat``: what to say of the system when it times out (a CI log is all one gets)."""
    limite = asyncio.get_running_loop().time() + delai_s
    while True:
        if found := await quoi():
            return found
        if asyncio.get_running_loop().time() > limite:
            dit = f"\n{await etat()}" if etat is not None else ""
            raise AssertionError(f"Toujours rien après {delai_s} s : {message}{dit}")
        await asyncio.sleep(0.05)


def _type(attributs: str | None) -> str:
    return (attributs or "").removesuffix("_event_attributes")


async def ou_en_est(p: Plateforme, sessions: SessionFactory, parcours_id: str) -> str:
    """Where a parcours' workflow stands, for a failure's message: its pending workflow task
    and activities (attempts, last failure), its last history events, the read model's version."""
    handle = p.env.client.get_workflow_handle(parcours_workflow_id(parcours_id))
    raw = (await handle.describe()).raw_description
    activites = [
        f"{a.activity_type.name} (état {a.state}, essai {a.attempt}, "
        f"dernier échec {a.last_failure.message!r})"
        for a in raw.pending_activities
    ]
    evenements = [
        f"{e.event_id}:{_type(e.WhichOneof('attributes'))}@{e.event_time.ToDatetime():%T.%f}"
        async for e in handle.fetch_history_events()
    ]
    async with sessions() as session:
        row = await session.get(ParcoursRow, parcours_id)
    return (
        f"tâche de workflow en attente : {raw.HasField('pending_workflow_task')} ; "
        f"activités {activites} ; modèle de lecture version "
        f"{row.version if row else None} ; derniers événements {evenements[-12:]}"
    )


async def projete(sessions: SessionFactory, parcours_id: str) -> ParcoursRow:
    """Wait for the read model to know the parcours (and so its identifiers)."""

    async def lire() -> ParcoursRow | None:
        async with sessions() as session:
            return await session.get(ParcoursRow, parcours_id)

    return await attendre(lire, f"projection du parcours {parcours_id}")


async def routable(sessions: SessionFactory, cle: CleSujet, valeur: str, parcours_id: str) -> None:
    """Wait until a partner's event about ``valeur`` would reach ``parcours_id``. Routing reads
    the identifiers of the read model (partenaires/routage.py), written after the parcours' own
    state: an event sent in between waits « à rapprocher » and never reaches the parcours
    (seen on a loaded machine, the test waiting 30 s for a rdv that had been set aside)."""

    async def route() -> bool:
        async with sessions() as session:
            return await parcours_ouverts(session, cle.value, valeur) == [parcours_id]

    await attendre(route, f"{cle.value} « {valeur} » dans le modèle de lecture", delai_s=30)


async def recu(sessions: SessionFactory, partenaire: str, id_: str) -> EvenementRecu | None:
    async with sessions() as session:
        return await session.get(EvenementRecu, (partenaire, id_))


async def traces_audit(sessions: SessionFactory, partenaire: str, id_: str) -> int:
    async with sessions() as session:
        n = await session.exec(
            select(func.count())
            .select_from(EntreeAudit)
            .where(col(EntreeAudit.objet) == f"evenement:{partenaire}/{id_}")
        )
        return int(n.one())


async def vue(client: httpx.AsyncClient, parcours_id: str) -> dict[str, Any]:
    reponse = await client.get(f"/api/v1/parcours/{parcours_id}")
    assert reponse.status_code == 200, reponse.text
    vue_: dict[str, Any] = reponse.json()
    return vue_


def il_y_a(heures: float) -> datetime:
    return datetime.now(UTC) - timedelta(hours=heures)
