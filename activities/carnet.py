"""The carnet link, drawn where it is sent: the secret is made here with ``secrets``, put in the
message, and only its SHA-256 goes back to the workflow (history, state, read model)."""

from __future__ import annotations

import secrets

from schemas.appels import MARQUE_LIEN, LienCarnetAEnvoyer
from schemas.carnet import empreinte

SUJET = "Lien du carnet de bord"


def tirer_lien(carnet: LienCarnetAEnvoyer, texte: str) -> tuple[str, str]:
    """(the message with its link, the secret's fingerprint). 256 bits of randomness."""
    secret = secrets.token_urlsafe(32)
    lien = f"{carnet.adresse_publique.rstrip('/')}/carnet/{secret}"
    return texte.replace(MARQUE_LIEN, lien), empreinte(secret)
