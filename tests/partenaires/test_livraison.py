"""Temporal unreachable when the event arrives: it is stored and acknowledged all the same,
then delivered by the periodic redelivery once Temporal answers."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta

import pytest

from core.parcours_client import ParcoursClient
from schemas.usager import IdentifiantsPartenaires
from store.db import SessionFactory
from tests.factories import CLAIRE
from tests.fixtures.plateforme import Plateforme, serve_in_thread
from tests.fixtures.simulateur import socket_libre
from tests.partenaires.outils import (
    attendre,
    entetes,
    evenement,
    ouvrir,
    projete,
    recu,
    salarie,
    signe,
    vue,
)
from web.app import create_app
from web.partenaires.livraison import relivrer_en_attente


def _port_ferme() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{s.getsockname()[1]}"


@pytest.fixture
def sans_temporal(plateforme: Plateforme) -> Iterator[str]:
    """A second web app on the same database, whose Temporal cannot be reached."""
    settings = plateforme.settings.model_copy(update={"temporal_address": _port_ferme()})
    sock = socket_libre()
    serveur = serve_in_thread(create_app(settings, task_queue=plateforme.task_queue), sock)
    next(serveur)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    next(serveur, None)


async def test_stocke_puis_relivre(
    plateforme: Plateforme, lecture: SessionFactory, sans_temporal: str
) -> None:
    sujet = salarie()
    pid = await ouvrir(plateforme, IdentifiantsPartenaires(salarie=sujet))
    await projete(lecture, pid)
    data = {"date": "2026-11-20", "motif": "Fin de chantier"}
    ev = evenement(plateforme, "employeur", "fr.employeur.contrat.rompu", sujet, data)
    corps, headers = signe(plateforme, "employeur", ev)
    async with plateforme.client() as client:
        reponse = await client.post(
            f"{sans_temporal}/api/v1/partners/employeur/events", content=corps, headers=headers
        )
        assert reponse.status_code == 202, reponse.text
        assert reponse.json() == {"status": "accepted", "matched": True}
        row = await recu(lecture, "employeur", ev["id"])
        assert row is not None
        assert (row.statut, row.parcours_id) == ("a_livrer", pid)

        # the partner retries: still acknowledged as a duplicate, still waiting
        headers = entetes(plateforme, "employeur", ev["id"], corps)
        reponse = await client.post(
            f"{sans_temporal}/api/v1/partners/employeur/events", content=corps, headers=headers
        )
        assert reponse.json() == {"status": "duplicate", "matched": True}

    parcours = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    livres = await relivrer_en_attente(lecture, parcours, anciennete=timedelta(0))
    assert livres >= 1
    row = await recu(lecture, "employeur", ev["id"])
    assert row is not None
    assert row.statut == "livre"
    async with plateforme.client(CLAIRE.id) as claire:

        async def applique() -> bool:
            v = await vue(claire, pid)
            return ev["id"] in [s["evenement_id"] for s in v["etat"]["signalements"]]

        await attendre(applique, "événement relivré appliqué")
    assert await relivrer_en_attente(lecture, parcours, anciennete=timedelta(0)) == 0
