"""CAF: read the RSA rights of an allocataire."""

from __future__ import annotations

from typing import Any

from temporalio import activity

from activities.http import ClientPartenaire
from schemas.appels import AppelPartenaire, LectureDroitsRsa


class Caf:
    def __init__(self, client: ClientPartenaire) -> None:
        self.client = client

    @activity.defn(name="caf.lire_droits_rsa")
    async def lire_droits_rsa(self, appel: AppelPartenaire) -> dict[str, Any]:
        lecture = LectureDroitsRsa.model_validate(appel.donnees)
        return await self.client.appeler(
            "GET",
            f"/v1/allocataires/{lecture.numero_allocataire}/droits-rsa",
            idempotence=appel.idempotence,
        )
