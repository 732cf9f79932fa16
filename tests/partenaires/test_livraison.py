"""Acknowledged on storage, delivered behind: the answer does not wait for Temporal, and the
dispatcher brings every stored event to its parcours, in the order received, once."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest_asyncio
from sqlalchemy import update
from sqlmodel import col

from devstack.demo.comptes import base_avec_comptes
from schemas.usager import IdentifiantsPartenaires
from services.parcours_client import ParcoursClient
from store.db import SessionFactory, ecriture, make_engine, session_factory
from store.evenements_partenaires import EvenementRecu
from tests.factories import CLAIRE
from tests.fixtures.plateforme import Plateforme, servir
from tests.fixtures.postgres import BasesDeTest
from tests.fixtures.simulateur import socket_libre
from tests.partenaires.outils import (
    attendre,
    entetes,
    envoyer,
    evenement,
    ouvrir,
    projete,
    recu,
    salarie,
    signe,
    vue,
)
from web.app import create_app


def _port_ferme() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{s.getsockname()[1]}"


@pytest_asyncio.fixture
async def sans_temporal(plateforme: Plateforme) -> AsyncIterator[str]:
    """A second web app on the same database, whose Temporal cannot be reached."""
    settings = plateforme.settings.model_copy(update={"temporal_address": _port_ferme()})
    sock = socket_libre()
    async with servir(create_app(settings, task_queue=plateforme.task_queue), sock):
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


async def _livre(lecture: SessionFactory, partenaire: str, id_: str) -> bool:
    row = await recu(lecture, partenaire, id_)
    return row is not None and row.statut == "livre"


async def test_accuse_sans_temporal_puis_livre(
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
        assert row.parcours_id == pid

        # the partner retries: acknowledged as a duplicate, nothing changes
        headers = entetes(plateforme, "employeur", ev["id"], corps)
        reponse = await client.post(
            f"{sans_temporal}/api/v1/partners/employeur/events", content=corps, headers=headers
        )
        assert reponse.json() == {"status": "duplicate", "matched": True}

    # delivered by the dispatcher, which the web process does not need
    await attendre(lambda: _livre(lecture, "employeur", ev["id"]), "événement livré")
    async with plateforme.client(CLAIRE.id) as claire:

        async def applique() -> bool:
            v = await vue(claire, pid)
            return ev["id"] in [s["evenement_id"] for s in v["etat"]["signalements"]]

        await attendre(applique, "événement livré appliqué")


async def _fil(plateforme: Plateforme, pid: str) -> list[str]:
    etat = await ParcoursClient(plateforme.env.client, plateforme.task_queue).etat(pid)
    return [e.details["evenement_id"] for e in etat.timeline if "evenement_id" in e.details]


async def test_ordre_garde_et_relivraison_sans_doublon(
    plateforme: Plateforme, lecture: SessionFactory
) -> None:
    """Events of one parcours reach its timeline in the order they were received, whatever
    their date; delivered again (a crash between the signal and the mark), none is applied
    twice."""
    sujet = salarie()
    pid = await ouvrir(plateforme, IdentifiantsPartenaires(salarie=sujet))
    await projete(lecture, pid)
    types = ["fr.employeur.contrat.signe", "fr.employeur.contrat.rompu"] * 3
    envoyes = []
    for n, type_ in enumerate(types):
        if type_.endswith("signe"):
            data = {"type_contrat": "CDD", "date_debut": f"2026-11-{10 + n:02d}"}
        else:
            data = {"date": f"2026-11-{10 + n:02d}", "motif": f"Motif {n}"}
        # dates backwards: the order kept is the order of arrival, not of the facts
        moment = datetime(2026, 11, 20 - n, 9, tzinfo=UTC)
        ev = evenement(plateforme, "employeur", type_, sujet, data, moment=moment)
        reponse = await envoyer(plateforme, "employeur", ev)
        assert reponse.status_code == 202, reponse.text
        envoyes.append(ev["id"])

    async def tous_livres() -> bool:
        return all([await _livre(lecture, "employeur", i) for i in envoyes])

    await attendre(tous_livres, "six événements livrés")
    assert await _fil(plateforme, pid) == envoyes

    # the marks are lost (the dispatcher died after signalling): delivered again
    async with lecture() as session:
        await ecriture(session)
        await session.exec(
            update(EvenementRecu)
            .where(col(EvenementRecu.id).in_(envoyes))
            .values(statut="a_livrer", livre_le=None)
        )
        await session.commit()
    await attendre(tous_livres, "six événements livrés de nouveau")
    assert await _fil(plateforme, pid) == envoyes  # each once, same order


async def test_arriere_montre_quand_il_grossit(
    plateforme: Plateforme, bases_de_test: BasesDeTest, tmp_path: Path
) -> None:
    """A web app whose events nobody delivers (its own read model, no dispatcher behind
    it): /healthz tells the backlog, the coordination sees it above its incidents."""
    async with plateforme.client() as client:
        reponse = await client.get("/healthz")
    assert reponse.json()["evenements_partenaires"]["etat"] == "ok"  # delivered as they come

    url = bases_de_test.nouvelle(tmp_path)
    jetons = await base_avec_comptes(url, "tests")
    engine = make_engine(url)
    il_y_a = datetime.now(UTC) - timedelta(minutes=5, seconds=30)
    async with session_factory(engine)() as session:
        for n in range(3):
            session.add(
                EvenementRecu(
                    partenaire="employeur",
                    id=f"en-attente-{n}",
                    type="fr.employeur.contrat.rompu",
                    source="urn:spie74:partner:employeur",
                    sujet=salarie(),
                    survenu_le=il_y_a,
                    recu_le=il_y_a + timedelta(seconds=n),
                    data={"date": "2026-12-01", "motif": "fin"},
                    statut="a_livrer",
                    parcours_id="parcours-sans-livreur",
                )
            )
        await session.commit()
    await engine.dispose()
    settings = plateforme.settings.model_copy(
        update={"database_url": url, "temporal_address": _port_ferme()}
    )
    sock = socket_libre()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    async with servir(create_app(settings, task_queue=plateforme.task_queue), sock):
        entetes = {"Authorization": f"Bearer {jetons['coord-vallee_arve']}"}
        async with httpx.AsyncClient(headers=entetes, timeout=30) as coord:
            sante = await coord.get(f"{base}/healthz")
            incidents = await coord.get(f"{base}/coordination/fragments/incidents")
    arriere = sante.json()["evenements_partenaires"]
    assert arriere["a_livrer"] == 3
    assert arriere["plus_ancien_s"] >= 330
    assert arriere["etat"] == "en_retard"
    assert incidents.status_code == 200, incidents.text
    page = " ".join(incidents.text.split())
    assert "3 événements de partenaires en attente de livraison" in page
    assert "le plus ancien reçu il y a 5 minutes" in page
