"""--- notifications et messages --- A new rupture is told to the parcours' référent (a
notification of kind « rupture », in-app and in the digest, not an e-mail at once); a message
sent to the person is not a contact: the silence rule still sees nobody heard of them."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlmodel import select
from temporalio.testing import WorkflowEnvironment

from schemas.messages import CanalMessage, MessageUsager
from services.parcours_client import ParcoursClient
from store.db import make_engine, session_factory
from store.notifications import Notification
from tests.factories import CLAIRE, accueil_rsa, diagnostic, plus
from tests.fixtures.simulateur import Simulateur
from tests.workflows.temps import aller_au, attendre, codes


async def _notifications(url: str, pid: str) -> list[Notification]:
    engine = make_engine(url)
    try:
        async with session_factory(engine)() as session:
            requete = select(Notification).where(Notification.parcours_id == pid)
            return list((await session.exec(requete)).all())
    finally:
        await engine.dispose()


async def test_la_rupture_est_notifiee_au_referent(
    parcours: ParcoursClient,
    temporal_env: WorkflowEnvironment,
    aujourd_hui: date,
    lecture_du_test: str,
    simulateur: Simulateur,
) -> None:
    s = await parcours.ouvrir(accueil_rsa(aujourd_hui), CLAIRE)
    pid = s.parcours_id
    await aller_au(temporal_env, plus(aujourd_hui, 16))
    await attendre(parcours, pid, lambda st: "echeance_depassee" in codes(st))

    async def au_referent() -> list[Notification]:
        return [n for n in await _notifications(lecture_du_test, pid) if n.compte_id == CLAIRE.id]

    limite = asyncio.get_running_loop().time() + 30
    while True:
        miennes = await au_referent()
        if miennes or asyncio.get_running_loop().time() > limite:
            break
        await asyncio.sleep(0.2)
    assert [(n.sorte, n.lien) for n in miennes] == [("rupture", f"/parcours/{pid}")]
    assert miennes[0].titre.startswith("Rupture sur votre parcours ")
    # In the app and in the digest: no e-mail at once to the référent for it.
    assert not [c for c in await simulateur.courriels() if "Rupture sur votre" in c["sujet"]]


async def test_un_message_n_est_pas_un_contact(
    parcours: ParcoursClient, temporal_env: WorkflowEnvironment, aujourd_hui: date
) -> None:
    s = await parcours.ouvrir(accueil_rsa(aujourd_hui), CLAIRE)
    pid = s.parcours_id
    await parcours.commander(pid, "enregistrer_diagnostic", diagnostic(aujourd_hui), CLAIRE)
    await aller_au(temporal_env, plus(aujourd_hui, 45))
    await attendre(parcours, pid, lambda st: "silence_alerte" in codes(st))
    message = MessageUsager(
        canal=CanalMessage.SMS,
        texte="Bonjour {prenom}, pouvez-vous me rappeler ?",
        adresse_publique="http://localhost:8000",
    )
    s = await parcours.commander(pid, "envoyer_message", message, CLAIRE)
    assert "silence_alerte" in codes(s)
    assert [e.code for e in s.timeline][-1] == "message_usager"
