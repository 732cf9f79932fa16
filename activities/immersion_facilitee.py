"""Immersion Facilitée (PMSMP), outbound: keep the ``convention.updated`` subscription in place,
and read the conventions to catch up on callbacks that never arrived.

Contract: gip-inclusion/immersion-facile, commit cd676358befab6b481b326b25f0e649abc6e1423
(2026-08-07) — back/src/adapters/primary/routers/apiKeyAuthRouter/publicApiV2.routes.ts
(GET/POST /v2/webhooks, DELETE /v2/webhooks/:subscriptionId, GET /v2/conventions,
GET /v2/conventions/:conventionId), createApiKeyAuthRouter.v2.ts (filters ``startDateGreater``,
``startDateLessOrEqual``, ``withStatuses``), createOpenApiV2.ts (the API key goes as is in the
``authorization`` header; at most 100 conventions, latest start first),
back/src/config/bootstrap/authMiddleware.ts (401 ``{message, status}``; 429 when the consumer
exceeds its calls per second, without Retry-After).
The real API has no call to create a convention: it is made on Immersion Facilitée's form, from
the prefilled link the référent hands out (core/immersion_facilitee.py).
"""

from __future__ import annotations

import hmac
import logging
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, ValidationError
from temporalio import activity

from activities.http import ClientPartenaire, indisponible
from core.partners import PartnerConfig
from partenaires import immersion_facilitee as adaptateur
from partenaires.enregistrement import recevoir
from partenaires.refus import RefusEvenement
from schemas.common import Role
from schemas.immersion_facilitee import (
    EVENEMENT_SOUSCRIT,
    Convention,
    EtatSouscription,
    Souscription,
    SouscriptionActive,
)
from services.utilisateur import Utilisateur
from store.db import SessionFactory

log = logging.getLogger("parcours.immersion_facilitee")
CHEMIN_RAPPEL = "/api/v1/partners/immersion-facilitee/rappels"
FENETRE_LECTURE_JOURS = 60  # conventions started since: an immersion lasts a month at most


class BilanLecture(BaseModel):
    """What a catch-up read found (counts only: no one's data in the history)."""

    conventions: int
    evenements: int
    nouveaux: int
    illisibles: int


def _liste(reponse: dict[str, Any], quoi: str) -> list[Any]:
    items = reponse.get("resultat")
    if not isinstance(items, list):
        raise indisponible(f"Immersion Facilitée : réponse inattendue pour {quoi} (liste attendue)")
    return items


class ImmersionFacilitee:
    def __init__(
        self,
        client: ClientPartenaire,
        config: PartnerConfig,
        adresse_publique: str,
        sessions: SessionFactory,
    ) -> None:
        self.client = client
        self.config = config
        self.rappel = f"{adresse_publique.rstrip('/')}{CHEMIN_RAPPEL}"
        self.sessions = sessions

    def _nous(self, s: SouscriptionActive) -> bool:
        return s.callback_url == self.rappel and s.subscribed_event == EVENEMENT_SOUSCRIT

    def _a_jour(self, s: SouscriptionActive) -> bool:
        secret = self.config.secret or ""
        presente = s.callback_headers.get("authorization", "")
        return bool(secret) and hmac.compare_digest(presente.encode(), secret.encode())

    @activity.defn(name="immersion_facilitee.souscrire")
    async def souscrire(self) -> EtatSouscription:
        """Idempotent: nothing when our subscription exists with the current secret; else the
        stale ones (old secret) are removed and one is created."""
        if not self.config.secret:
            raise indisponible("Immersion Facilitée : secret de rappel non configuré")
        brut = _liste(await self.client.appeler("GET", "/v2/webhooks"), "GET /v2/webhooks")
        try:
            actives = [SouscriptionActive.model_validate(s) for s in brut]
        except ValidationError:
            raise indisponible("Immersion Facilitée : liste des souscriptions illisible") from None
        nos = [s for s in actives if self._nous(s)]
        if bonne := next((s for s in nos if self._a_jour(s)), None):
            return EtatSouscription(action="deja_souscrit", souscription_id=bonne.id)
        for perimee in nos:
            await self.client.appeler("DELETE", f"/v2/webhooks/{perimee.id}")
        souscription = Souscription(
            subscribed_event=EVENEMENT_SOUSCRIT,
            callback_url=self.rappel,
            callback_headers={"authorization": self.config.secret},
        )
        await self.client.appeler(
            "POST", "/v2/webhooks", json=souscription.model_dump(by_alias=True)
        )
        return EtatSouscription(action="renouvele" if nos else "souscrit")

    @activity.defn(name="immersion_facilitee.lire_conventions")
    async def lire_conventions(self, depuis: date) -> BilanLecture:
        """Conventions started since ``depuis``, through the same adapter as a callback."""
        reponse = await self.client.appeler(
            "GET", f"/v2/conventions?startDateGreater={depuis.isoformat()}"
        )
        bilan = BilanLecture(conventions=0, evenements=0, nouveaux=0, illisibles=0)
        qui = Utilisateur(
            id=f"partenaire:{self.config.id}",
            nom=self.config.nom,
            email="",
            role=Role.PARTENAIRE,
            organisme=None,
            territoire=None,
        )
        for brut in _liste(reponse, "GET /v2/conventions"):
            try:
                convention = Convention.model_validate(brut)
            except ValidationError:
                bilan.illisibles += 1  # counted, visible in the history; the others go on
                continue
            bilan.conventions += 1
            async with self.sessions() as session:
                pmsmp_id = await adaptateur.pmsmp_de(session, convention)
                try:
                    valides = adaptateur.traduire(convention, pmsmp_id, self.config)
                except RefusEvenement:
                    bilan.illisibles += 1
                    continue
                for v in valides:
                    accuse = await recevoir(session, v, self.config.id, qui, None)
                    bilan.evenements += 1
                    bilan.nouveaux += accuse.status == "accepted"
        return bilan


def depuis(aujourd_hui: date) -> date:
    return aujourd_hui - timedelta(days=FENETRE_LECTURE_JOURS)
