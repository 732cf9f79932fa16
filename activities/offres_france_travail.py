"""France Travail's job offers of the département into the platform's offers, as one activity
(employeurs/france_travail.py reads every range, then writes in one transaction). Started by
the Schedule ``import-offres-france-travail`` (workflows/offres_france_travail.py)."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
from temporalio import activity
from temporalio.exceptions import ApplicationError

from core import traces
from employeurs.france_travail import (
    NON_CONFIGURE,
    ClientOffresFT,
    ConfigOffresFT,
    FranceTravailIndisponible,
    FranceTravailRefuse,
    importer,
)
from store.db import SessionFactory


class OffresFranceTravailActivities:
    def __init__(self, sessions: SessionFactory, config: ConfigOffresFT, http: httpx.AsyncClient):
        self.sessions = sessions
        self.client = ClientOffresFT(config, http)

    @activity.defn(name="employeurs.importer_offres_france_travail")
    async def importer(self) -> dict[str, Any]:
        """The bilan (counts only, no secret, no person). Not configured: said, not failed."""
        if not self.client.config.configuree:
            activity.logger.info(NON_CONFIGURE)
            return {"configure": False}
        try:
            with traces.appel_partenaire("offres-france-travail", "GET"):
                async with self.sessions() as session:
                    bilan = await importer(session, self.client)
        except FranceTravailRefuse as err:
            # 401/403/400: retrying changes nothing; the run fails, its message says what to fix
            raise ApplicationError(str(err), type="RefusPartenaire", non_retryable=True) from None
        except FranceTravailIndisponible as err:
            raise ApplicationError(str(err), type="PartenaireIndisponible") from None
        return {"configure": True, **dataclasses.asdict(bilan)}
