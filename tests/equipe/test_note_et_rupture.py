"""A note is not a contact with the person (issue 17, item 2): written by the team over the
API, it leaves « aucun contact depuis N jours » standing, while a contact clears it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, timedelta

from schemas.parcours import ParcoursState
from services.parcours_client import ParcoursClient
from tests.factories import CLAIRE, accueil_rsa, diagnostic
from tests.fixtures.plateforme import Plateforme


async def _attendre(
    parcours: ParcoursClient, pid: str, condition: Callable[[ParcoursState], bool]
) -> ParcoursState:
    limite = asyncio.get_running_loop().time() + 30
    while not condition(s := await parcours.etat(pid)):
        assert asyncio.get_running_loop().time() < limite, "état jamais atteint"
        await asyncio.sleep(0.1)
    return s


def _silence(s: ParcoursState) -> bool:
    return "silence_rupture" in {a.code for a in s.alertes}


async def test_une_note_ne_leve_pas_le_silence_un_contact_si(plateforme: Plateforme) -> None:
    debut = date.today() - timedelta(days=100)  # last seen a hundred days ago
    parcours = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    pid = (await parcours.ouvrir(accueil_rsa(debut), CLAIRE)).parcours_id
    await parcours.commander(pid, "enregistrer_diagnostic", diagnostic(debut), CLAIRE)
    await _attendre(parcours, pid, _silence)

    async with plateforme.client("ref-claire-martin") as claire:
        note = await claire.post(
            f"/api/v1/parcours/{pid}/notes",
            json={"texte": "Appel sans réponse, message laissé à la sœur de Madame"},
        )
        assert note.status_code == 201, note.text
        # the vigie looks again (the daily re-check) after the note: the rupture stands
        version = (await parcours.etat(pid)).version
        await plateforme.env.client.get_workflow_handle(f"parcours-{pid}").signal("reverifier")
        s = await _attendre(parcours, pid, lambda st: st.version > version)
        assert _silence(s), "une note a levé « aucun contact depuis 90 jours »"
        assert s.derniere_interaction() == debut

        contact = await claire.post(
            f"/api/v1/parcours/{pid}/enregistrer-contact",
            json={"le": date.today().isoformat(), "mode": "telephone", "objet": "Joint enfin"},
        )
        assert contact.status_code == 200, contact.text
        codes = {a["code"] for a in contact.json()["etat"]["alertes"]}
        assert not codes & {"silence_alerte", "silence_rupture"}, codes
