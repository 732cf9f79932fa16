"""Immersion platform: register a validated PMSMP convention (signatures and bilan come back
as partner events)."""

from __future__ import annotations

from typing import Any

from temporalio import activity

from activities.http import ClientPartenaire
from schemas.appels import AppelPartenaire, SoumissionPmsmp


class Immersion:
    def __init__(self, client: ClientPartenaire) -> None:
        self.client = client

    @activity.defn(name="immersion.soumettre_convention")
    async def soumettre_convention(self, appel: AppelPartenaire) -> dict[str, Any]:
        convention = SoumissionPmsmp.model_validate(appel.donnees)
        return await self.client.appeler(
            "POST",
            "/v1/conventions",
            idempotence=appel.idempotence,
            json=convention.model_dump(mode="json"),
        )
