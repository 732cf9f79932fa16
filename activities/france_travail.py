"""France Travail: the platform tells it which organisme accompanies a person it knows."""

from __future__ import annotations

from typing import Any

from temporalio import activity

from activities.http import ClientPartenaire
from schemas.appels import AppelPartenaire, NotificationOrientation


class FranceTravail:
    def __init__(self, client: ClientPartenaire) -> None:
        self.client = client

    @activity.defn(name="france_travail.notifier_orientation")
    async def notifier_orientation(self, appel: AppelPartenaire) -> dict[str, Any]:
        notification = NotificationOrientation.model_validate(appel.donnees)
        return await self.client.appeler(
            "POST",
            "/v1/orientations",
            idempotence=appel.idempotence,
            json=notification.model_dump(mode="json"),
        )
