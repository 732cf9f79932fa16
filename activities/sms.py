"""SMS gateway. The gateway de-duplicates on the idempotency key; we also keep an outbox row."""

from __future__ import annotations

from typing import Any

from temporalio import activity

from activities.http import ClientPartenaire
from activities.outbox import Outbox
from schemas.appels import AppelPartenaire, Sms


class PasserelleSms:
    def __init__(self, client: ClientPartenaire, outbox: Outbox) -> None:
        self.client = client
        self.outbox = outbox

    @activity.defn(name="sms.envoyer")
    async def envoyer(self, appel: AppelPartenaire) -> dict[str, Any]:
        sms = Sms.model_validate(appel.donnees)
        if await self.outbox.deja_envoye(appel.idempotence):
            return {"statut": "deja_envoye"}
        result = await self.client.appeler(
            "POST", "/v1/messages", idempotence=appel.idempotence, json=sms.model_dump(mode="json")
        )
        await self.outbox.noter(appel.idempotence, "sms", sms.telephone, sms.texte[:80])
        return result
