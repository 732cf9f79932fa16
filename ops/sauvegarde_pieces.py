"""The documents' objects in a backup, when they live in an S3-compatible store
(``PIECES_S3_BUCKET``; by default they are files of DATA_DIR, saved with the others).

Each object is streamed from the store into the archive, and from the archive back into the
store: never a whole document, let alone the whole bucket, in memory. The archive holds them
under their rank (``pieces-s3/objets/00000001``: a key never becomes a path) and an index, one
JSON line per object (key, size, SHA-256); the manifest holds the count, the total size and the
SHA-256 of the index. A restore checks every object against the index, and the index against
the manifest, before it touches anything.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from botocore.exceptions import BotoCoreError, ClientError

from core.formats import pluriel
from pieces.stockage import client_s3

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import ObjectIdentifierTypeDef

    from core.settings import Settings

DOSSIER = "pieces-s3"
INDEX = f"{DOSSIER}/index.jsonl"
OBJETS = f"{DOSSIER}/objets"
MORCEAU = 1 << 20
ABSENT = ("NoSuchKey", "NoSuchBucket", "404")
CITES = 5  # keys named in a refusal; the count says the rest


class PiecesRefusees(Exception):
    """The archive's objects do not match its manifest, or the store does not answer: said in
    French."""


def _injoignable(err: Exception, quand: str) -> PiecesRefusees:
    return PiecesRefusees(f"Le stockage des pièces (S3) ne répond pas {quand} : {err}")


@dataclass(frozen=True)
class Objet:
    rang: int
    cle: str
    octets: int
    sha256: str

    @property
    def membre(self) -> str:
        return f"{OBJETS}/{self.rang:08d}"


class _Empreinte:
    """A body read through: its SHA-256 and size, as it goes by."""

    def __init__(self, corps: Any) -> None:
        self.corps, self.sha256, self.octets = corps, hashlib.sha256(), 0

    def read(self, n: int = -1) -> bytes:
        morceau: bytes = self.corps.read(n)
        self.sha256.update(morceau)
        self.octets += len(morceau)
        return morceau


def _absent(err: ClientError) -> bool:
    return err.response.get("Error", {}).get("Code") in ABSENT


def _cles(client: S3Client, bucket: str) -> list[str]:
    try:
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return [objet["Key"] for page in pages for objet in page.get("Contents", [])]
    except ClientError as err:
        if _absent(err):  # a store never written to has no bucket yet
            return []
        raise


def sauver(settings: Settings, tar: tarfile.TarFile, index: Path) -> dict[str, object]:
    """Stream every object of the bucket into the tar; what the manifest says of them."""
    try:
        return _sauver(settings, tar, index)
    except (BotoCoreError, ClientError) as err:
        raise _injoignable(err, "pendant la sauvegarde, qui n'a pas été écrite") from None


def _sauver(settings: Settings, tar: tarfile.TarFile, index: Path) -> dict[str, object]:
    client, bucket = client_s3(settings), settings.pieces_s3_bucket
    total, rang = 0, 0
    with index.open("w", encoding="utf-8") as lignes:
        for cle in _cles(client, bucket):
            try:
                reponse = client.get_object(Bucket=bucket, Key=cle)
            except ClientError as err:
                if _absent(err):  # erased since the listing (an anonymisation): not saved
                    continue
                raise
            rang += 1
            membre = tarfile.TarInfo(f"{OBJETS}/{rang:08d}")
            membre.size = reponse["ContentLength"]
            corps = _Empreinte(reponse["Body"])
            tar.addfile(membre, corps)
            objet = {"cle": cle, "octets": corps.octets, "sha256": corps.sha256.hexdigest()}
            lignes.write(json.dumps(objet, ensure_ascii=False) + "\n")
            total += corps.octets
    tar.add(index, INDEX)
    return {"bucket": bucket, "objets": rang, "octets": total, "empreinte": _sha256(index)}


def _sha256(chemin: Path) -> str:
    empreinte = hashlib.sha256()
    with chemin.open("rb") as f:
        while morceau := f.read(MORCEAU):
            empreinte.update(morceau)
    return empreinte.hexdigest()


def _lire_index(contenu: Path, attendu: dict[str, Any]) -> list[Objet]:
    index = contenu / INDEX
    if not index.is_file() or _sha256(index) != attendu.get("empreinte"):
        raise PiecesRefusees(
            "Sauvegarde refusée, rien n'a été restauré : l'index des pièces manque ou ne "
            "correspond pas à l'empreinte de son manifeste"
        )
    with index.open(encoding="utf-8") as lignes:
        objets = [
            Objet(rang, ligne["cle"], ligne["octets"], ligne["sha256"])
            for rang, ligne in enumerate(map(json.loads, lignes), start=1)
        ]
    if len(objets) != attendu.get("objets"):
        raise PiecesRefusees(
            f"Sauvegarde refusée, rien n'a été restauré : son manifeste annonce "
            f"{pluriel(int(attendu.get('objets') or 0), 'pièce')}, son index en liste "
            f"{len(objets)}"
        )
    return objets


def _nommer(cles: list[str]) -> str:
    cites = ", ".join(cles[:CITES])
    return cites + (f" et {len(cles) - CITES} autres" if len(cles) > CITES else "")


def verifier(contenu: Path, attendu: dict[str, Any]) -> list[Objet]:
    """Every object of the index there, with its size and SHA-256, and nothing else."""
    objets = _lire_index(contenu, attendu)
    manquantes, alterees = [], []
    for objet in objets:
        fichier = contenu / objet.membre
        if not fichier.is_file():
            manquantes.append(objet.cle)
        elif fichier.stat().st_size != objet.octets or _sha256(fichier) != objet.sha256:
            alterees.append(objet.cle)
    dossier = contenu / OBJETS
    attendus = {objet.membre for objet in objets}
    en_trop = (
        [p.name for p in dossier.iterdir() if f"{OBJETS}/{p.name}" not in attendus]
        if dossier.is_dir()
        else []
    )
    problemes = [
        f"{pluriel(len(manquantes), 'pièce manque', 'pièces manquent')} ({_nommer(manquantes)})"
        if manquantes
        else "",
        f"{pluriel(len(alterees), 'pièce est altérée', 'pièces sont altérées')} "
        f"({_nommer(alterees)})"
        if alterees
        else "",
        f"{pluriel(len(en_trop), 'objet inconnu', 'objets inconnus')} de son index"
        if en_trop
        else "",
    ]
    if any(problemes):
        raise PiecesRefusees(
            "Sauvegarde refusée, rien n'a été restauré : "
            + " ; ".join(p for p in problemes if p)
            + " par rapport à son manifeste"
        )
    return objets


def preparer(settings: Settings, attendu: dict[str, Any]) -> S3Client:
    """Before anything is replaced: the store is configured and answers (its bucket made)."""
    if not settings.pieces_s3_bucket:
        raise PiecesRefusees(
            f"Cette sauvegarde contient les pièces d'un stockage S3 (bucket "
            f"« {attendu.get('bucket')} ») mais PIECES_S3_BUCKET n'est pas réglé : "
            "configurez le stockage des pièces avant de restaurer"
        )
    client, bucket = client_s3(settings), settings.pieces_s3_bucket
    try:
        try:
            client.head_bucket(Bucket=bucket)
        except ClientError as err:
            if not _absent(err):
                raise
            client.create_bucket(Bucket=bucket)
    except (BotoCoreError, ClientError) as err:
        raise _injoignable(err, "; rien n'a été restauré") from None
    return client


def remettre(
    client: S3Client, settings: Settings, contenu: Path, objets: list[Objet]
) -> tuple[int, int]:
    """The bucket made equal to the archive: its objects put back (streamed from disk), and
    those it does not hold deleted — documents deposited after the backup, whose rows the
    restore has just removed: left, they would be personal data no anonymisation reaches.
    (put back, deleted)."""
    try:
        return _remettre(client, settings.pieces_s3_bucket, contenu, objets)
    except (BotoCoreError, ClientError) as err:
        raise _injoignable(
            err,
            "pendant la remise des pièces, après celle des bases et des fichiers : relancez la "
            "même restauration, elle remet tout de nouveau",
        ) from None


def _remettre(client: S3Client, bucket: str, contenu: Path, objets: list[Objet]) -> tuple[int, int]:
    for objet in objets:
        with (contenu / objet.membre).open("rb") as corps:
            _deposer(client, bucket, objet.cle, corps)
    gardees = {objet.cle for objet in objets}
    orphelines = [cle for cle in _cles(client, bucket) if cle not in gardees]
    for debut in range(0, len(orphelines), 1000):  # DeleteObjects takes 1,000 keys at most
        lot: list[ObjectIdentifierTypeDef] = [
            {"Key": cle} for cle in orphelines[debut : debut + 1000]
        ]
        client.delete_objects(Bucket=bucket, Delete={"Objects": lot, "Quiet": True})
    return len(objets), len(orphelines)


def _deposer(client: S3Client, bucket: str, cle: str, corps: BinaryIO) -> None:
    # upload_fileobj reads by parts (multipart above 8 Mio): a big document is never whole
    client.upload_fileobj(corps, bucket, cle)
