"""Where a piece of personal data or a secret could linger: every table of the read model and
a workflow's whole history, decrypted — so that tests can say « nowhere »."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from sqlalchemy import select
from sqlmodel import SQLModel
from temporalio.api.common.v1 import Payload
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

import store.tables  # noqa: F401  (registers every table on SQLModel.metadata)
from core.codec import ENCODING, EncryptionCodec
from core.settings import DEV_CODEC_KEY
from store.db import make_engine

CODEC = EncryptionCodec.from_spec(DEV_CODEC_KEY)


async def modele_de_lecture(url: str) -> dict[str, list[str]]:
    """Every row of every table (all of ``SQLModel.metadata``, so a new table is searched
    too), each row as the text of all its values."""
    engine = make_engine(url)
    lignes: dict[str, list[str]] = {}
    try:
        async with engine.connect() as conn:
            for table in SQLModel.metadata.sorted_tables:
                rows = (await conn.execute(select(table))).all()
                lignes[table.name] = [
                    json.dumps([_texte(v) for v in row], ensure_ascii=False) for row in rows
                ]
    finally:
        await engine.dispose()
    return lignes


def _texte(valeur: Any) -> str:
    if isinstance(valeur, dict | list):
        return json.dumps(valeur, ensure_ascii=False, default=str)
    return str(valeur)


def trouve(lignes: dict[str, list[str]], *aiguilles: str) -> list[str]:
    """« table: row » for every row holding one of the needles (case-insensitive)."""
    cherchees = [a.lower() for a in aiguilles if a]
    return [
        f"{table}: {ligne[:300]}"
        for table, rows in lignes.items()
        for ligne in rows
        if any(a in ligne.lower() for a in cherchees)
    ]


async def historique_en_clair(client: Client, workflow_id: str) -> str:
    """Every event of every run of a workflow, its payloads decrypted (an empty string when
    the workflow no longer exists)."""
    textes: list[str] = []
    try:
        async for e in client.get_workflow_handle(workflow_id).fetch_history_events():
            textes.append(str(e))
            for payload in _payloads(e):
                if payload.metadata.get("encoding") == ENCODING:
                    payload = (await CODEC.decode([payload]))[0]
                textes.append(payload.data.decode("utf-8", "replace"))
    except RPCError as err:
        if err.status != RPCStatusCode.NOT_FOUND:
            raise
    return "\n".join(textes)


def _payloads(message: Message) -> Iterator[Payload]:
    for champ, valeur in message.ListFields():
        if champ.type != FieldDescriptor.TYPE_MESSAGE:
            continue
        if champ.message_type is not None and champ.message_type.GetOptions().map_entry:
            valeurs = list(valeur.values())
        elif isinstance(valeur, Message):
            valeurs = [valeur]
        else:  # a repeated field
            valeurs = list(valeur)
        for v in valeurs:
            if isinstance(v, Payload):
                yield v
            elif isinstance(v, Message):
                yield from _payloads(v)
