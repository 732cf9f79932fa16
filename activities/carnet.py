"""The carnet link, drawn where it is sent: the secret is made here with ``secrets``, put in the
message, and only its SHA-256 goes back to the workflow (history, state, read model)."""

from __future__ import annotations

import secrets

from schemas.appels import MARQUE_LIEN, LienCarnetAEnvoyer
from schemas.carnet import empreinte

SUJET = "Lien du carnet de bord"
SUJETS = {
    "carnet": SUJET,
    "rdv": "Lien de prise de rendez-vous",
    "orientation": "Lien de réponse à une demande d'orientation",
}  # as the outbox records them


def sujet(carnet: LienCarnetAEnvoyer) -> str:
    return SUJETS[carnet.chemin]


def nouveau_secret() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


def lien(carnet: LienCarnetAEnvoyer, texte: str, secret: str) -> tuple[str, str]:
    """(the message with its link, the secret's fingerprint)."""
    url = f"{carnet.adresse_publique.rstrip('/')}/{carnet.chemin}/{secret}"
    return texte.replace(MARQUE_LIEN, url), empreinte(secret)


def tirer_lien(carnet: LienCarnetAEnvoyer, texte: str) -> tuple[str, str]:
    return lien(carnet, texte, nouveau_secret())
