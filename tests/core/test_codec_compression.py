"""Format 3 of the payload codec: a payload of more than 1 KiB (a parcours' state, a
projection) is compressed before it is sealed, so Temporal carries and stores a few times
fewer bytes (issue 19); it reads back as it was, and its format is sealed with it."""

from __future__ import annotations

import base64
import json
import os

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.converter import WorkflowSerializationContext

from core.codec import FORMAT, CodecKeyError, EncryptionCodec

SPEC = f"cle-compression:{base64.b64encode(os.urandom(32)).decode()}"
ETAT = json.dumps(
    {
        "usager": {"nom": "Lien", "prenom": "Inès", "telephone": "06 55 44 33 22"},
        "timeline": [
            {"seq": n, "categorie": "contact", "libelle": f"Appel n° {n} à Inès Lien"}
            for n in range(60)
        ],
    }
).encode()
GRAND = Payload(metadata={"encoding": b"json/plain"}, data=ETAT)
PETIT = Payload(metadata={"encoding": b"json/plain"}, data='"Inès"'.encode())


def _codec() -> EncryptionCodec:
    contexte = WorkflowSerializationContext(namespace="default", workflow_id="parcours-a")
    return EncryptionCodec.from_spec(SPEC).with_context(contexte)


async def test_un_etat_est_compresse_puis_scelle_et_se_relit_tel_quel() -> None:
    (scelle,) = await _codec().encode([GRAND])

    assert scelle.metadata[FORMAT] == b"3"
    assert len(scelle.data) < len(GRAND.SerializeToString()) / 3
    assert b"Lien" not in scelle.data
    assert await _codec().decode([scelle]) == [GRAND]
    assert await EncryptionCodec.from_spec(SPEC).decode([scelle]) == [GRAND]  # the UI's /codec


async def test_une_petite_donnee_reste_au_format_2() -> None:
    (scelle,) = await _codec().encode([PETIT])
    assert scelle.metadata[FORMAT] == b"2"
    assert await _codec().decode([scelle]) == [PETIT]


@pytest.mark.parametrize(("donnee", "faux_format"), [(GRAND, b"2"), (PETIT, b"3")])
async def test_le_format_est_scelle_avec_la_donnee(donnee: Payload, faux_format: bytes) -> None:
    (scelle,) = await _codec().encode([donnee])
    altere = Payload(metadata={**scelle.metadata, FORMAT: faux_format}, data=scelle.data)
    with pytest.raises(CodecKeyError, match="altérée"):
        await _codec().decode([altere])
