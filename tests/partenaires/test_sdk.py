"""A partner's engineer builds the event with the CloudEvents SDK, signs it with the Standard
Webhooks reference library, posts it with httpx: the platform accepts and routes it."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from cloudevents.core.bindings.http import to_structured_event
from cloudevents.core.v1.event import CloudEvent
from standardwebhooks import Webhook

from schemas.usager import IdentifiantsPartenaires
from store.db import SessionFactory
from tests.fixtures.plateforme import Plateforme
from tests.partenaires.outils import identifiant_france_travail, ouvrir, partenaires, projete


async def test_evenement_du_sdk_signe_par_la_bibliotheque_de_reference(
    plateforme: Plateforme, lecture: SessionFactory
) -> None:
    ft = identifiant_france_travail()
    pid = await ouvrir(plateforme, IdentifiantsPartenaires(france_travail=ft))
    await projete(lecture, pid)
    config = partenaires(plateforme)["france-travail"]
    assert config.secret is not None

    event = CloudEvent(
        attributes={
            "type": "fr.france-travail.demandeur.inscrit",
            "source": "urn:spie74:partner:france-travail",
            "subject": ft,
            "datacontenttype": "application/json",
        },
        data={"date_inscription": "2026-11-02", "categorie": "1"},
    )
    message = to_structured_event(event)  # content-type application/cloudevents+json
    horodatage = datetime.now(UTC)
    signature = Webhook(config.secret).sign(event.get_id(), horodatage, message.body.decode())
    headers = {
        **message.headers,
        "webhook-id": event.get_id(),
        "webhook-timestamp": str(int(horodatage.timestamp())),
        "webhook-signature": signature,
    }
    async with httpx.AsyncClient(timeout=60, base_url=plateforme.base_url) as client:
        reponse = await client.post(
            "/api/v1/partners/france-travail/events", content=message.body, headers=headers
        )
    assert reponse.status_code == 202, reponse.text
    assert reponse.json() == {"status": "accepted", "matched": True}
