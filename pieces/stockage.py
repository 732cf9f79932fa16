"""Where the documents' encrypted bytes live: files under DATA_DIR/pieces by default, objects
of an S3-compatible store (MinIO, Scaleway, OVH, AWS) when PIECES_S3_BUCKET is set. The same
three operations either way; a key is ``<parcours>/<document>``."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from core.settings import Settings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

CLE = re.compile(r"^[A-Za-z0-9_-]{1,80}/[A-Za-z0-9_-]{1,80}$")


class DocumentAbsent(LookupError):
    """The store holds nothing under this key."""


def _verifier(cle: str) -> str:
    """Keys are made of ids: nothing else (no ``..``, no absolute path) reaches a store."""
    if not CLE.match(cle):
        raise ValueError(f"Clé de document invalide : {cle[:100]!r}")
    return cle


class Stockage(Protocol):
    async def ecrire(self, cle: str, octets: bytes) -> None: ...

    async def lire(self, cle: str) -> bytes: ...

    async def supprimer(self, cle: str) -> None:
        """Deleting what is not there is not an error (the anonymisation retries)."""


class FichiersLocaux:
    def __init__(self, racine: Path) -> None:
        self.racine = racine

    def _chemin(self, cle: str) -> Path:
        return self.racine / _verifier(cle)

    async def ecrire(self, cle: str, octets: bytes) -> None:
        await asyncio.to_thread(self._ecrire, self._chemin(cle), octets)

    @staticmethod
    def _ecrire(chemin: Path, octets: bytes) -> None:
        chemin.parent.mkdir(parents=True, exist_ok=True)
        provisoire = chemin.with_suffix(".partiel")
        provisoire.write_bytes(octets)
        provisoire.replace(chemin)  # a reader never sees half a document

    async def lire(self, cle: str) -> bytes:
        try:
            return await asyncio.to_thread(self._chemin(cle).read_bytes)
        except FileNotFoundError:
            raise DocumentAbsent(cle) from None

    async def supprimer(self, cle: str) -> None:
        await asyncio.to_thread(self._chemin(cle).unlink, missing_ok=True)


class StockageS3:
    """boto3 is synchronous: each call runs in a thread, the event loop stays free."""

    def __init__(self, client: S3Client, bucket: str) -> None:
        self.client, self.bucket = client, bucket
        self._pret = False

    async def _preparer(self) -> None:
        """The bucket is created on first use if missing (a fresh MinIO has none)."""
        if self._pret:
            return
        try:
            await asyncio.to_thread(self.client.head_bucket, Bucket=self.bucket)
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket"):
                raise
            await asyncio.to_thread(self.client.create_bucket, Bucket=self.bucket)
        self._pret = True

    async def ecrire(self, cle: str, octets: bytes) -> None:
        await self._preparer()
        await asyncio.to_thread(
            self.client.put_object, Bucket=self.bucket, Key=_verifier(cle), Body=octets
        )

    async def lire(self, cle: str) -> bytes:
        try:
            reponse = await asyncio.to_thread(
                self.client.get_object, Bucket=self.bucket, Key=_verifier(cle)
            )
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NoSuchBucket"):
                raise DocumentAbsent(cle) from None
            raise
        return await asyncio.to_thread(reponse["Body"].read)

    async def supprimer(self, cle: str) -> None:
        await self._preparer()
        await asyncio.to_thread(self.client.delete_object, Bucket=self.bucket, Key=_verifier(cle))


def client_s3(settings: Settings) -> S3Client:
    return boto3.client(
        "s3",
        endpoint_url=settings.pieces_s3_endpoint or None,
        region_name=settings.pieces_s3_region,
        aws_access_key_id=settings.pieces_s3_access_key or None,
        aws_secret_access_key=settings.pieces_s3_secret_key or None,
        # path-style addressing: MinIO and most S3-compatible stores need it
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3}),
    )


def stockage_de(settings: Settings) -> Stockage:
    if settings.pieces_s3_bucket:
        return StockageS3(client_s3(settings), settings.pieces_s3_bucket)
    return FichiersLocaux(settings.data_dir / "pieces")
