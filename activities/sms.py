"""SMS gateway. The gateway de-duplicates on the idempotency key; we also keep an outbox row."""

from __future__ import annotations

from typing import Any

from temporalio import activity

from activities.carnet import lien, sujet
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
        if (deja := await self.outbox.envoi(appel.idempotence)) is not None:
            return {"statut": "deja_envoye"} | _empreinte(deja.empreinte)
        if sms.carnet is None:
            result = await self.client.appeler(
                "POST", "/v1/messages", idempotence=appel.idempotence, json=_corps(sms)
            )
            await self.outbox.noter(
                appel.idempotence, "sms", sms.telephone, sms.texte[:80], parcours=appel.parcours_id
            )
            return result
        secret = await self.outbox.secret_du_lien(appel.idempotence)
        texte, empreinte = lien(sms.carnet, sms.texte, secret)
        await self.client.appeler(
            "POST",
            "/v1/messages",
            idempotence=appel.idempotence,
            json={"telephone": sms.telephone, "texte": texte},
        )
        await self.outbox.noter(
            appel.idempotence, "sms", sms.telephone, sujet(sms.carnet), empreinte, appel.parcours_id
        )
        # The gateway's answer may echo the text: only the fingerprint goes back to the workflow.
        return {"statut": "envoye", "empreinte": empreinte}


def _corps(sms: Sms) -> dict[str, Any]:
    return {"telephone": sms.telephone, "texte": sms.texte}


def _empreinte(empreinte: str | None) -> dict[str, str]:
    return {"empreinte": empreinte} if empreinte else {}
