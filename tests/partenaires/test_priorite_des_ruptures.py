"""A projection that brings the coordination a partner's signalement (a France Travail
radiation) is asked of Temporal at the urgent priority, so that during a partner's burst it
passes the ordinary projections waiting in the activity queue and for the read model's
writer (issue 19); an ordinary event's projection keeps the default priority."""

from __future__ import annotations

from typing import Any

from temporalio.api.enums.v1 import EventType

from core.ids import parcours_workflow_id
from schemas.usager import IdentifiantsPartenaires
from store.db import SessionFactory
from tests.factories import CLAIRE
from tests.fixtures.plateforme import Plateforme
from tests.partenaires.outils import (
    attendre,
    envoyer,
    evenement,
    identifiant_france_travail,
    il_y_a,
    ouvrir,
    projete,
    vue,
)
from workflows.publication import PRIORITE_URGENTE

SIGNAL = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED
PROJECTION = EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED


async def _recu(plateforme: Plateforme, pid: str, ev: dict[str, Any]) -> dict[str, Any]:
    """The parcours once the event is in its projected timeline."""
    async with plateforme.client(CLAIRE.id) as claire:

        async def lire() -> dict[str, Any] | None:
            v = await vue(claire, pid)
            ids = [e.get("details", {}).get("evenement_id") for e in v["etat"]["timeline"]]
            return v if ev["id"] in ids else None

        return await attendre(lire, f"événement {ev['type']} projeté sur {pid}")


async def test_la_projection_d_une_radiation_est_urgente(
    plateforme: Plateforme, lecture: SessionFactory
) -> None:
    ft = identifiant_france_travail()
    pid = await ouvrir(plateforme, IdentifiantsPartenaires(france_travail=ft))
    await projete(lecture, pid)
    inscrit = evenement(
        plateforme,
        "france-travail",
        "fr.france-travail.demandeur.inscrit",
        ft,
        {"date_inscription": "2026-11-19"},
        moment=il_y_a(2),
    )
    radie = evenement(
        plateforme,
        "france-travail",
        "fr.france-travail.demandeur.radie",
        ft,
        {"date": "2026-11-20", "motif": "Absence à convocation"},
        moment=il_y_a(1),
    )
    for ev in (inscrit, radie):  # one after the other: a projection each
        assert (await envoyer(plateforme, "france-travail", ev)).status_code == 202
        v = await _recu(plateforme, pid, ev)
    assert [s["type"] for s in v["etat"]["signalements"]] == [radie["type"]]

    # each projection's priority, and how many partner signals the parcours had before it
    handle = plateforme.env.client.get_workflow_handle(parcours_workflow_id(pid))
    signaux, priorites = 0, []
    async for e in handle.fetch_history_events():
        if e.event_type == SIGNAL:
            signaux += 1
        elif e.event_type == PROJECTION:
            demande = e.activity_task_scheduled_event_attributes
            if demande.activity_type.name == "lecture.projeter_parcours":
                priorites.append((signaux, demande.priority.priority_key))
    # the opening's and the registration's: the default (0, not set); the radiation's: urgent
    assert {p for n, p in priorites if n < 2} == {0}, priorites
    assert [p for n, p in priorites if n == 2][:1] == [PRIORITE_URGENTE.priority_key], priorites
