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
        return await self.lire(lecture.numero_allocataire, appel.idempotence)

    async def lire(self, numero_allocataire: str, idempotence: str) -> dict[str, Any]:
        """The call itself: also made by an import for a batch of rows before their parcours
        open (activities/imports.py)."""
        return await self.client.appeler(
            "GET", f"/v1/allocataires/{numero_allocataire}/droits-rsa", idempotence=idempotence
        )
