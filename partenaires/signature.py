"""Standard Webhooks verification: HMAC-SHA256 of ``id.timestamp.body`` with the partner's
``whsec_`` secret, a timestamp within five minutes (replays), constant-time comparison."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime

from partenaires.refus import RefusEvenement
from schemas.erreurs import CodeErreur

TOLERANCE_S = 5 * 60
PREFIXE_SECRET = "whsec_"


def cle_secrete(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIXE_SECRET) + "==")


def signer(secret: str, webhook_id: str, horodatage: str, corps: bytes) -> str:
    """The ``v1,<base64>`` signature of one message (also what a partner computes)."""
    contenu = f"{webhook_id}.{horodatage}.".encode() + corps
    digest = hmac.new(cle_secrete(secret), contenu, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def _refus(code: str, message: str) -> RefusEvenement:
    return RefusEvenement(401, message, code)


def _verifier_horodatage(valeur: str, maintenant: datetime) -> None:
    try:
        horodatage = int(valeur)
    except ValueError:
        raise _refus(
            "horodatage_invalide",
            "En-tête webhook-timestamp invalide : secondes Unix attendues",
        ) from None
    if abs(maintenant.timestamp() - horodatage) > TOLERANCE_S:
        raise _refus(
            "horodatage_perime",
            "Horodatage hors de la tolérance de 5 minutes (rejeu ou horloge décalée) : "
            "signez chaque envoi au moment de l'envoyer",
        )


def _signatures(entete: str) -> list[bytes]:
    """The ``v1`` entries of the header; other versions are ignored, as the spec says."""
    found = []
    for entree in entete.split():
        version, _, valeur = entree.partition(",")
        if version != "v1":
            continue
        try:
            found.append(base64.b64decode(valeur, validate=True))
        except (binascii.Error, ValueError):
            continue
    return found


def verifier(secret: str, entetes: Mapping[str, str], corps: bytes, maintenant: datetime) -> str:
    """Check the signature of a received message; returns its ``webhook-id``."""
    webhook_id = entetes.get("webhook-id", "")
    horodatage = entetes.get("webhook-timestamp", "")
    signature = entetes.get("webhook-signature", "")
    if not (webhook_id and horodatage and signature):
        raise _refus(
            "signature_absente",
            "Signature absente : les en-têtes webhook-id, webhook-timestamp et "
            "webhook-signature sont obligatoires",
        )
    _verifier_horodatage(horodatage, maintenant)
    # signed as sent: the header's own text, the body's exact bytes
    attendue = base64.b64decode(signer(secret, webhook_id, horodatage, corps).removeprefix("v1,"))
    if not any(hmac.compare_digest(attendue, s) for s in _signatures(signature)):
        raise _refus(
            CodeErreur.SIGNATURE_INVALIDE,
            "Signature invalide : calculez HMAC-SHA256 de « id.horodatage.corps » avec le "
            "secret du partenaire, sur les octets exacts du corps envoyé",
        )
    return webhook_id
