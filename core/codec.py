"""AES-GCM payload codec: personal data never reaches Temporal's history in clear.

Each encrypted payload names the key that sealed it (metadata ``encryption-key-id``), so keys
can rotate: the first configured key encrypts, every configured key can still decrypt.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Iterable, Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from google.protobuf.message import DecodeError
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"
NONCE_BYTES = 12


class CodecKeyError(ValueError):
    """The key configuration is unusable, or a payload names a key we do not hold."""


def parse_keys(spec: str) -> list[tuple[str, bytes]]:
    """Read ``"id:base64,id:base64"``; the first key is the one that encrypts."""
    keys: list[tuple[str, bytes]] = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        key_id, sep, encoded = item.partition(":")
        if not sep or not key_id:
            raise CodecKeyError(f"Clé de chiffrement mal formée : « {item[:12]}… » (id:base64)")
        try:
            key = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise CodecKeyError(f"La clé « {key_id} » n'est pas en base64") from None
        if len(key) not in (16, 24, 32):
            raise CodecKeyError(f"La clé « {key_id} » doit faire 16, 24 ou 32 octets")
        if any(key_id == known for known, _ in keys):
            raise CodecKeyError(f"L'identifiant de clé « {key_id} » est donné deux fois")
        keys.append((key_id, key))
    if not keys:
        raise CodecKeyError("Aucune clé de chiffrement configurée (CODEC_KEYS)")
    return keys


class EncryptionCodec(PayloadCodec):
    def __init__(self, keys: Sequence[tuple[str, bytes]]) -> None:
        self._current_id, current = keys[0]
        self._current = AESGCM(current)
        self._by_id = {key_id: AESGCM(key) for key_id, key in keys}

    @classmethod
    def from_spec(cls, spec: str) -> EncryptionCodec:
        return cls(parse_keys(spec))

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self._encrypt(p) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self._decrypt(p) for p in payloads]

    def _encrypt(self, payload: Payload) -> Payload:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._current.encrypt(nonce, payload.SerializeToString(), None)
        return Payload(
            metadata={"encoding": ENCODING, KEY_ID: self._current_id.encode()},
            data=nonce + sealed,
        )

    def _decrypt(self, payload: Payload) -> Payload:
        if payload.metadata.get("encoding") != ENCODING:
            return payload  # written before encryption was enabled, or by another codec
        key_id = payload.metadata.get(KEY_ID, b"").decode("utf-8", "replace")
        aes = self._by_id.get(key_id)
        if aes is None:
            raise CodecKeyError(f"Clé de chiffrement inconnue : « {key_id[:40]} »")
        try:
            clear = aes.decrypt(payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:], None)
            return Payload.FromString(clear)
        except (InvalidTag, ValueError, DecodeError):
            raise CodecKeyError(
                f"Donnée chiffrée illisible avec la clé « {key_id} » : altérée ou tronquée"
            ) from None

    def key_ids(self) -> Iterable[str]:
        return self._by_id.keys()
