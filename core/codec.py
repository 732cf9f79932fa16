"""AES-GCM payload codec: personal data never reaches Temporal's history in clear.

Each encrypted payload names the key that sealed it (metadata ``encryption-key-id``), so keys
can rotate: the first configured key encrypts, every configured key can still decrypt.

Format 2 (metadata ``encryption-format: 2``) binds associated data: the encoding, the key id
and the id of the workflow the payload belongs to (metadata ``encryption-workflow-id``, from
Temporal's serialization context). Changing any of them makes the payload unreadable, and a
payload sealed for one workflow is refused by another (no moving a person's data into another
history). Payloads written before (no format: no associated data) still decrypt, so running
parcours and saved histories replay. In production, a payload not encrypted is refused.

Format 3 is format 2 with the clear payload compressed (zlib) before it is sealed: the states
and projections a parcours sends are JSON of several KiB that shrink four to six times, and
every byte of them is carried, stored and cached by Temporal (issue 19). Only payloads above
``COMPRESSER_DES`` bytes are compressed (the rest stay format 2); the format is part of the
associated data, so a format 3 payload relabelled 2 (or the reverse) does not decrypt.
What compression gives away: a sealed size now follows how repetitive the content is, not only
its length. Whoever reads the histories (Temporal's operator) and can also make the platform
write chosen text next to a person's data could in principle learn from sizes (CRIME-like).
Accepted: no secret ever enters a workflow (tokens and keys stay outside, hashed), and such an
attack needs many adaptive writes into the same parcours, each one audited under an account.
Only authenticated plaintext is decompressed: nobody without the key can feed zlib a bomb.
"""

from __future__ import annotations

import base64
import binascii
import copy
import os
import re
import zlib
from collections.abc import Iterable, Sequence
from typing import Self

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from google.protobuf.message import DecodeError
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec, SerializationContext, WithSerializationContext

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"
FORMAT = "encryption-format"
FORMAT_AAD = b"2"
FORMAT_COMPRESSE = b"3"  # format 2, the clear payload compressed with zlib before sealing
COMPRESSER_DES = 1024  # bytes: below, compression gains little and costs a call
NIVEAU = 1  # zlib's fastest: most of the gain (JSON repeats its keys) for a fraction of the CPU
WORKFLOW_ID = "encryption-workflow-id"
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


def _associees(key_id: bytes, workflow_id: bytes, format_: bytes = FORMAT_AAD) -> bytes:
    """Associated data of formats 2 and 3: what the tag authenticates beside the ciphertext."""
    return b"\x00".join((b"parcours-codec", format_, ENCODING, key_id, workflow_id))


# Temporal names each run of a schedule « <schedule's workflow id>-<start, RFC 3339 UTC> ».
_EXECUTION_PLANIFIEE = re.compile(r"(.+)-\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def _planification(workflow_id: str) -> str | None:
    """The schedule's workflow id when ``workflow_id`` is one of its runs, else None."""
    run = _EXECUTION_PLANIFIEE.fullmatch(workflow_id)
    return run[1] if run else None


def _meme_workflow(scelle: str, contexte: str) -> bool:
    """A schedule seals its action's payloads with the schedule's workflow id, which Temporal
    then suffixes with the start time: « id » also covers « id-<suffix> ». And Temporal hands
    each run of a schedule the result (or failure) of the one before, sealed for that run:
    refused, the run's first task failed forever, and the schedule, which skips a start while
    a run is going on, never ran again. Runs of one schedule read each other's."""
    if contexte == scelle or contexte.startswith(f"{scelle}-"):
        return True
    planification = _planification(contexte)
    return planification is not None and planification == _planification(scelle)


class EncryptionCodec(PayloadCodec, WithSerializationContext):
    def __init__(
        self,
        keys: Sequence[tuple[str, bytes]],
        *,
        refuser_clair: bool = False,
        workflow_id: str | None = None,
    ) -> None:
        """``refuser_clair``: a payload that is not encrypted is an error (production);
        ``workflow_id``: the workflow the payloads belong to (set by ``with_context``)."""
        self._current_id, current = keys[0]
        self._current = AESGCM(current)
        self._by_id = {key_id: AESGCM(key) for key_id, key in keys}
        self._refuser_clair = refuser_clair
        self._workflow_id = workflow_id

    @classmethod
    def from_spec(cls, spec: str, *, refuser_clair: bool = False) -> EncryptionCodec:
        return cls(parse_keys(spec), refuser_clair=refuser_clair)

    def with_context(self, context: SerializationContext) -> Self:
        """Temporal gives the workflow id of the payloads it is about to encode or decode."""
        copie = copy.copy(self)  # the keys are shared, only the workflow id differs
        copie._workflow_id = getattr(context, "workflow_id", None) or None
        return copie

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self._encrypt(p) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self._decrypt(p) for p in payloads]

    def _encrypt(self, payload: Payload) -> Payload:
        nonce = os.urandom(NONCE_BYTES)
        key_id = self._current_id.encode()
        workflow_id = (self._workflow_id or "").encode()
        clear, format_ = payload.SerializeToString(), FORMAT_AAD
        if len(clear) > COMPRESSER_DES:
            clear, format_ = zlib.compress(clear, NIVEAU), FORMAT_COMPRESSE
        sealed = self._current.encrypt(nonce, clear, _associees(key_id, workflow_id, format_))
        metadata = {"encoding": ENCODING, KEY_ID: key_id, FORMAT: format_}
        if workflow_id:
            metadata[WORKFLOW_ID] = workflow_id
        return Payload(metadata=metadata, data=nonce + sealed)

    def _decrypt(self, payload: Payload) -> Payload:
        if payload.metadata.get("encoding") != ENCODING:
            if self._refuser_clair:
                raise CodecKeyError(
                    "Donnée non chiffrée refusée (PARCOURS_ENV=production) : "
                    "tout ce qui entre dans Temporal passe par le chiffrement"
                )
            return payload  # written before encryption was enabled, or by another codec
        key_id = payload.metadata.get(KEY_ID, b"").decode("utf-8", "replace")
        aes = self._by_id.get(key_id)
        if aes is None:
            raise CodecKeyError(f"Clé de chiffrement inconnue : « {key_id[:40]} »")
        associees = self._associees_de(payload)
        try:
            clear = aes.decrypt(payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:], associees)
            if payload.metadata.get(FORMAT) == FORMAT_COMPRESSE:
                clear = zlib.decompress(clear)
            return Payload.FromString(clear)
        except (InvalidTag, ValueError, DecodeError, zlib.error):
            raise CodecKeyError(
                f"Donnée chiffrée illisible avec la clé « {key_id} » : altérée ou tronquée"
            ) from None

    def _associees_de(self, payload: Payload) -> bytes | None:
        """None for the payloads written before format 2 (they bound nothing)."""
        format_ = payload.metadata.get(FORMAT)
        if format_ is None:
            return None
        if format_ not in (FORMAT_AAD, FORMAT_COMPRESSE):
            raise CodecKeyError(f"Format de chiffrement inconnu : « {format_[:8]!r} »")
        scelle = payload.metadata.get(WORKFLOW_ID, b"").decode("utf-8", "replace")
        if scelle and self._workflow_id and not _meme_workflow(scelle, self._workflow_id):
            raise CodecKeyError(
                f"Donnée chiffrée pour le workflow « {scelle[:80]} », "
                f"lue dans « {self._workflow_id[:80]} » : refusée"
            )
        return _associees(payload.metadata[KEY_ID], scelle.encode(), format_)

    def key_ids(self) -> Iterable[str]:
        return self._by_id.keys()
