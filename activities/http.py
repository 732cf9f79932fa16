"""Calling a partner's API: explicit timeouts, the idempotency key, and errors sorted into
"try again later" (outage) and "the partner refuses" (permanent, never retried)."""

from __future__ import annotations

from typing import Any

import httpx
from temporalio import activity
from temporalio.exceptions import ApplicationError

from core.partners import PartnerConfig

TIMEOUT = httpx.Timeout(10.0, connect=3.0)
RETRYABLE_STATUS = frozenset({408, 425, 429})


def indisponible(message: str, statut: int | None = None) -> ApplicationError:
    return ApplicationError(message, _details(statut), type="PartenaireIndisponible")


def refus(message: str, statut: int | None = None) -> ApplicationError:
    return ApplicationError(message, _details(statut), type="RefusPartenaire", non_retryable=True)


def _details(statut: int | None) -> dict[str, Any]:
    info = activity.info()
    return {
        "tentative": info.attempt,
        "statut_http": statut,
        "premier_essai": info.scheduled_time.isoformat(),
    }


def _raison(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or response.reason_phrase
    if isinstance(body, dict):
        return str(body.get("message") or body.get("detail") or body)[:300]
    return str(body)[:300]


class ClientPartenaire:
    def __init__(self, config: PartnerConfig, http: httpx.AsyncClient) -> None:
        self.config = config
        self.http = http

    async def appeler(
        self, methode: str, chemin: str, *, idempotence: str | None = None, json: Any = None
    ) -> dict[str, Any]:
        headers = {"Accept": "application/json"}
        if self.config.jeton:
            headers["Authorization"] = f"Bearer {self.config.jeton}"
        if idempotence:
            headers["Idempotency-Key"] = idempotence
        url = f"{self.config.url.rstrip('/')}/{chemin.lstrip('/')}"
        try:
            response = await self.http.request(
                methode, url, json=json, headers=headers, timeout=TIMEOUT
            )
        except httpx.TimeoutException:
            raise indisponible(f"{self.config.nom} n'a pas répondu à temps") from None
        except httpx.TransportError as err:
            raise indisponible(
                f"{self.config.nom} est injoignable ({type(err).__name__})"
            ) from None
        code = response.status_code
        if code >= 500 or code in RETRYABLE_STATUS:
            raise indisponible(
                f"{self.config.nom} est en erreur ({code}) : {_raison(response)}", code
            )
        if code >= 400:
            raise refus(f"{self.config.nom} refuse la demande ({code}) : {_raison(response)}", code)
        if not response.content:
            return {}
        body = response.json()
        return body if isinstance(body, dict) else {"resultat": body}
