"""A note is not a contact with the person (issue 17, item 2): written by the team over the
API, it leaves « aucun contact depuis N jours » standing, while a contact clears it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import date, timedelta

import httpx
import pytest
from sqlmodel import select

from schemas.notes import NouvelleNote
from schemas.parcours import ParcoursState
from services.erreurs import Refus
from services.parcours_client import ParcoursClient
from services.utilisateur import Utilisateur
from store.comptes import Compte
from store.db import make_engine, session_factory
from store.equipe import NoteRow
from tests.factories import CLAIRE, accueil_rsa, diagnostic
from tests.fixtures.plateforme import Plateforme
from web.equipe import notes


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


async def _noter(client: httpx.AsyncClient, pid: str, texte: str) -> httpx.Response:
    """As a client does: a 409 « pas encore enregistré » (the parcours' row of the read model
    not written yet, a loaded machine) is tried again after its Retry-After."""
    for _ in range(15):
        note = await client.post(f"/api/v1/parcours/{pid}/notes", json={"texte": texte})
        if note.status_code != 409 or note.json()["code"] != "parcours_pas_encore_enregistre":
            return note
        await asyncio.sleep(int(note.headers["Retry-After"]))
    raise AssertionError("parcours jamais enregistré dans le modèle de lecture")


async def test_une_note_avant_l_enregistrement_du_parcours_est_refusee_sans_rien_ecrire(
    plateforme: Plateforme,
) -> None:
    """In the moment between a parcours' opening and its first projection, a note gets a 409
    that says to try again (it was a 500), and nothing is written."""
    parcours = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    s = await parcours.ouvrir(accueil_rsa(date.today()), CLAIRE)
    pas_encore = s.model_copy(update={"parcours_id": f"pas-encore-{uuid.uuid4()}"})
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            compte = await session.get(Compte, "ref-claire-martin")
            assert compte is not None
            with pytest.raises(Refus) as refus:
                await notes.ecrire(
                    session, Utilisateur.depuis_compte(compte), pas_encore, NouvelleNote(texte="Vu")
                )
            assert (refus.value.status, refus.value.attente_s) == (409, 2)
            assert "réessayez dans quelques secondes" in refus.value.message
            ecrites = select(NoteRow).where(NoteRow.parcours_id == pas_encore.parcours_id)
            assert (await session.exec(ecrites)).all() == []
    finally:
        await engine.dispose()


async def test_une_note_ne_leve_pas_le_silence_un_contact_si(plateforme: Plateforme) -> None:
    debut = date.today() - timedelta(days=100)  # last seen a hundred days ago
    parcours = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    pid = (await parcours.ouvrir(accueil_rsa(debut), CLAIRE)).parcours_id
    await parcours.commander(pid, "enregistrer_diagnostic", diagnostic(debut), CLAIRE)
    await _attendre(parcours, pid, _silence)

    async with plateforme.client("ref-claire-martin") as claire:
        note = await _noter(claire, pid, "Appel sans réponse, message laissé à la sœur de Madame")
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
