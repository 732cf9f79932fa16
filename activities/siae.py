"""Plateforme de l'inclusion (SIAE): send an orientation request towards an SIAE."""

from __future__ import annotations

from typing import Any

from temporalio import activity

from activities.http import ClientPartenaire
from schemas.appels import AppelPartenaire, DemandeSiae


class Siae:
    def __init__(self, client: ClientPartenaire) -> None:
        self.client = client

    @activity.defn(name="siae.envoyer_demande")
    async def envoyer_demande(self, appel: AppelPartenaire) -> dict[str, Any]:
        demande = DemandeSiae.model_validate(appel.donnees)
        return await self.client.appeler(
            "POST",
            "/v1/demandes-orientation",
            idempotence=appel.idempotence,
            json=demande.model_dump(mode="json"),
        )
