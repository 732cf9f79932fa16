"""Sending events like a real partner: a CloudEvents 1.0 structured JSON event, signed per the
Standard Webhooks specification with the partner's secret, posted to the platform."""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from standardwebhooks import Webhook

from core.partners import PartnerConfig
from core.settings import Settings

CONTENT_TYPE = "application/cloudevents+json"
CONTENT_TYPE_LOT = "application/cloudevents-batch+json"  # batched mode: a JSON array of events
TIMEOUT = httpx.Timeout(10.0, connect=3.0)


class PartenaireSansSignature(ValueError):
    """The partner has no event source or secret: it only receives calls (e.g. SMS)."""


@dataclass(frozen=True)
class Envoi:
    statut_http: int
    reponse: Any
    evenement: dict[str, Any]


def rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError(
            "L'heure de l'événement doit préciser son fuseau (ex. 2026-11-20T09:00:00Z)."
        )
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def construire_evenement(
    partenaire: PartnerConfig,
    type_evenement: str,
    sujet: str,
    data: dict[str, Any],
    *,
    moment: datetime | None = None,
    identifiant: str | None = None,
) -> dict[str, Any]:
    if not partenaire.source or not partenaire.secret:
        raise PartenaireSansSignature(
            f"{partenaire.nom} n'envoie pas d'événements (pas de source ni de secret configurés)."
        )
    return {
        "specversion": "1.0",
        "id": identifiant or str(uuid.uuid4()),
        "source": partenaire.source,
        "type": type_evenement,
        "subject": sujet,
        "time": rfc3339(moment or datetime.now(UTC)),
        "datacontenttype": "application/json",
        "data": data,
    }


def corps(evenement: dict[str, Any]) -> bytes:
    """The exact bytes that are signed and sent: signing anything else breaks verification."""
    return json.dumps(evenement, ensure_ascii=False, separators=(",", ":")).encode()


def corps_lot(evenements: list[Any]) -> bytes:
    """A batch's exact bytes: the JSON array of the events, signed once as a whole."""
    return json.dumps(evenements, ensure_ascii=False, separators=(",", ":")).encode()


def entetes_lot(secret: str, contenu: bytes) -> dict[str, str]:
    """A batch's headers: its own message id (not an event's), its signature over the body."""
    return {"Content-Type": CONTENT_TYPE_LOT, **signer(secret, f"lot_{uuid.uuid4()}", contenu)}


def signer(
    secret: str, webhook_id: str, contenu: bytes, *, horodatage: datetime | None = None
) -> dict[str, str]:
    # the library reads the datetime as UTC whatever its zone: convert first
    horodatage = (horodatage or datetime.now(UTC)).astimezone(UTC)
    signature = Webhook(secret).sign(webhook_id, horodatage, contenu.decode())
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(horodatage.timestamp())),
        "webhook-signature": signature,
    }


def plateforme(settings: Settings, override: str | None = None) -> str:
    """Where the platform listens: explicit override, then PLATFORM_URL, then the settings."""
    url = override or os.environ.get("PLATFORM_URL") or settings.effective_public_url
    return url.rstrip("/")


def url_evenements(plateforme: str, partner_id: str) -> str:
    return f"{plateforme.rstrip('/')}/api/v1/partners/{partner_id}/events"


def _reponse(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text


async def envoyer(
    plateforme: str,
    partenaire: PartnerConfig,
    evenement: dict[str, Any],
    *,
    client: httpx.AsyncClient | None = None,
) -> Envoi:
    """Sign and post; transport errors (platform down) propagate as httpx errors."""
    if not partenaire.secret:
        raise PartenaireSansSignature(f"{partenaire.nom} n'a pas de secret de signature.")
    contenu = corps(evenement)
    headers = {"Content-Type": CONTENT_TYPE, **signer(partenaire.secret, evenement["id"], contenu)}
    url = url_evenements(plateforme, partenaire.id)
    if client is None:
        async with httpx.AsyncClient(timeout=TIMEOUT) as own:
            response = await own.post(url, content=contenu, headers=headers)
    else:
        response = await client.post(url, content=contenu, headers=headers, timeout=TIMEOUT)
    return Envoi(response.status_code, _reponse(response), evenement)
