"""Encryption at rest of the documents' bytes, under the keys of the Temporal codec
(CODEC_KEYS, core/codec.py): the first key encrypts, every configured key decrypts, so the
documents follow the same rotation as the workflows' payloads.

A sealed document: ``PIECE1`` · length of the key id (1 byte) · key id · nonce (12 bytes) ·
AES-GCM ciphertext and tag. The associated data binds the key id and the document's id: a
file copied under another document's name does not decrypt.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from core.codec import NONCE_BYTES, CodecKeyError, parse_keys

ENTETE = b"PIECE1"
Cles = Sequence[tuple[str, bytes]]


def cles_de(spec: str) -> list[tuple[str, bytes]]:
    """The codec's keys, read as the codec reads them (``id:base64,…``)."""
    return parse_keys(spec)


def _associees(key_id: bytes, piece_id: str) -> bytes:
    return b"\x00".join((b"parcours-piece", ENTETE, key_id, piece_id.encode()))


def chiffrer(cles: Cles, piece_id: str, octets: bytes) -> bytes:
    key_id, cle = cles[0]
    identifiant = key_id.encode()
    nonce = os.urandom(NONCE_BYTES)
    scelle = AESGCM(cle).encrypt(nonce, octets, _associees(identifiant, piece_id))
    return ENTETE + bytes([len(identifiant)]) + identifiant + nonce + scelle


def dechiffrer(cles: Cles, piece_id: str, scelle: bytes) -> bytes:
    if not scelle.startswith(ENTETE) or len(scelle) < len(ENTETE) + 1:
        raise CodecKeyError("Document chiffré illisible : en-tête inconnu")
    debut = len(ENTETE) + 1
    identifiant = scelle[debut : debut + scelle[len(ENTETE)]]
    reste = scelle[debut + len(identifiant) :]
    key_id = identifiant.decode("utf-8", "replace")
    cle = dict(cles).get(key_id)
    if cle is None:
        raise CodecKeyError(f"Clé de chiffrement inconnue : « {key_id[:40]} »")
    try:
        return AESGCM(cle).decrypt(
            reste[:NONCE_BYTES], reste[NONCE_BYTES:], _associees(identifiant, piece_id)
        )
    except (InvalidTag, ValueError):
        raise CodecKeyError(
            f"Document chiffré illisible avec la clé « {key_id} » : altéré ou tronqué"
        ) from None
