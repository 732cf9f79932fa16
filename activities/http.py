"""Calling a partner's API: explicit timeouts, the idempotency key, and errors sorted into
"try again later" (outage) and "the partner refuses" (permanent, never retried)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from temporalio import activity
from temporalio.exceptions import ApplicationError

from core import traces
from core.partners import PartnerConfig

TIMEOUT = httpx.Timeout(10.0, connect=3.0)
RETRYABLE_STATUS = frozenset({408, 425, 429})


def indisponible(
    message: str, statut: int | None = None, attente: timedelta | None = None
) -> ApplicationError:
    """``attente``: the partner's own Retry-After, which overrides the retry policy's backoff."""
    return ApplicationError(
        message, _details(statut), type="PartenaireIndisponible", next_retry_delay=attente
    )


def retry_after(response: httpx.Response) -> timedelta | None:
    """Retry-After in seconds or as an HTTP date (RFC 9110), capped at an hour."""
    valeur = response.headers.get("retry-after", "").strip()
    if not valeur:
        return None
    if valeur.isdigit():
        secondes = float(valeur)
    else:
        try:
            quand = parsedate_to_datetime(valeur)
        except (TypeError, ValueError):
            return None
        secondes = (quand - datetime.now(UTC)).total_seconds()
    return timedelta(seconds=min(max(secondes, 1.0), 3600.0))


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
    def __init__(
        self, config: PartnerConfig, http: httpx.AsyncClient, *, schema_auth: str = "Bearer"
    ) -> None:
        """``schema_auth``: the token's prefix in Authorization; "" sends the bare token (the
        API key of Immersion Facilitée goes as is in ``authorization``)."""
        self.config = config
        self.http = http
        self.schema_auth = schema_auth

    async def appeler(
        self, methode: str, chemin: str, *, idempotence: str | None = None, json: Any = None
    ) -> dict[str, Any]:
        headers = {"Accept": "application/json"}
        if self.config.jeton:
            prefixe = f"{self.schema_auth} " if self.schema_auth else ""
            headers["Authorization"] = f"{prefixe}{self.config.jeton}"
        if idempotence:
            headers["Idempotency-Key"] = idempotence
        url = f"{self.config.url.rstrip('/')}/{chemin.lstrip('/')}"
        with traces.appel_partenaire(self.config.id, methode) as appel:
            return await self._envoyer(appel, methode, url, headers, json)

    async def _envoyer(
        self,
        appel: traces.AppelPartenaire,
        methode: str,
        url: str,
        headers: dict[str, str],
        json: Any,
    ) -> dict[str, Any]:
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
        appel.reponse(code)
        if code >= 500 or code in RETRYABLE_STATUS:
            raise indisponible(
                f"{self.config.nom} est en erreur ({code}) : {_raison(response)}",
                code,
                retry_after(response),
            )
        if code >= 400:
            raise refus(f"{self.config.nom} refuse la demande ({code}) : {_raison(response)}", code)
        if not response.content:
            return {}
        try:
            body = response.json()
        except ValueError:  # a proxy's HTML page, a truncated body: try again later
            raise indisponible(
                f"{self.config.nom} a répondu un corps illisible ({code})", code
            ) from None
        return body if isinstance(body, dict) else {"resultat": body}
