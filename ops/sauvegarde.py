"""Backups of the platform, encrypted, and their restore (docs/sauvegardes.md).

    python -m ops.sauvegarde sauvegarder          # make sauvegarder
    python -m ops.sauvegarde restaurer ARCHIVE    # make restaurer ARCHIVE=…

One archive holds everything that cannot be rebuilt:

* the read model (accounts, audit log, imports, notifications…): SQLite's online backup API
  for the embedded default, ``pg_dump`` for PostgreSQL — both while the platform runs;
* Temporal's database, the source of truth of every parcours: the embedded server's SQLite
  file (``DATA_DIR/temporal.db``, online backup too), or with ``TEMPORAL_DATABASE_URL`` the
  cluster's PostgreSQL databases ``temporal`` and ``temporal_visibility``;
* the other files of ``DATA_DIR`` (the documents' encrypted bytes among them, by default);
* with ``PIECES_S3_BUCKET``, the documents' objects in their S3-compatible store, streamed in
  and out, counted and fingerprinted in the manifest (ops/sauvegarde_pieces.py).

It is encrypted with ``SAUVEGARDE_CLE`` (AES-256-GCM by blocks, each block bound to its rank
and the last one marked, so that a truncated or reordered archive is refused). The keys
themselves (``CODEC_KEYS``, ``AUDIT_KEY``, ``SAUVEGARDE_CLE``) are never in it: an archive
and the keys that open it are kept apart (secret store). Its manifest holds their
fingerprints, and a restore refuses keys that would leave the histories unreadable.

The last ``SAUVEGARDE_GARDER`` archives of ``SAUVEGARDE_DIR`` are kept, older ones deleted.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import io
import json
import os
import shutil
import socket
import sqlite3
import struct
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urlsplit, urlunsplit

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from core import journaux
from core.codec import parse_keys
from core.formats import pluriel
from core.settings import Settings, get_settings
from ops import sauvegarde_pieces

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer, WriteableBuffer

ENTETE = b"PARCOURS-SAUVEGARDE-1\n"
BLOC = 1 << 20
SUFFIXE = ".sauvegarde"
MANIFESTE = "manifeste.json"
LECTURE = "modele-de-lecture"
TEMPORAL = "temporal"
FICHIERS = "fichiers"
BASES_TEMPORAL = ("temporal", "temporal_visibility")
SQLITE_ANNEXES = ("-wal", "-shm", "-journal")


class SauvegardeImpossible(Exception):
    """Said to the operator in French; nothing was written or replaced."""


# --- Encryption --------------------------------------------------------------------------


def cle(settings: Settings) -> bytes:
    try:
        brute = base64.b64decode(settings.sauvegarde_cle, validate=True)
    except (binascii.Error, ValueError):
        brute = b""
    if len(brute) != 32:
        raise SauvegardeImpossible(
            "SAUVEGARDE_CLE doit être une clé AES-256 en base64 (32 octets) : "
            'python -c "import os, base64; print(base64.b64encode(os.urandom(32)).decode())"'
        )
    return brute


def _donnees_associees(rang: int, dernier: bool) -> bytes:
    return ENTETE + struct.pack(">Q?", rang, dernier)


class Chiffreur(io.RawIOBase):
    """A file to write the archive into: each block is encrypted as soon as it is full, so that
    nothing in clear — and nothing whole — is kept, in memory or on disk. ``terminer`` writes the
    last block, marked; an archive left unfinished has no last block and is refused."""

    def __init__(self, destination: BinaryIO, cle_aes: bytes) -> None:
        super().__init__()
        self._aes, self._destination = AESGCM(cle_aes), destination
        self._rang, self._tampon = 0, bytearray()
        destination.write(ENTETE)

    def writable(self) -> bool:
        return True

    def write(self, donnees: ReadableBuffer) -> int:
        self._tampon += donnees
        # a full block goes out only when more follows: the last one must carry its mark
        while len(self._tampon) > BLOC:
            self._bloc(bytes(self._tampon[:BLOC]), dernier=False)
            del self._tampon[:BLOC]
        return memoryview(donnees).nbytes

    def terminer(self) -> None:
        self._bloc(bytes(self._tampon), dernier=True)
        self._tampon.clear()

    def _bloc(self, clair: bytes, *, dernier: bool) -> None:
        nonce = os.urandom(12)
        chiffre = self._aes.encrypt(nonce, clair, _donnees_associees(self._rang, dernier))
        self._destination.write(nonce + struct.pack(">I", len(chiffre)) + chiffre)
        self._rang += 1


class Dechiffreur(io.RawIOBase):
    """The archive read back in clear, a block at a time; a wrong key, an altered, reordered or
    truncated block, or data after the last one, stop the reading with the reason."""

    def __init__(self, source: BinaryIO, cle_aes: bytes) -> None:
        super().__init__()
        if source.read(len(ENTETE)) != ENTETE:
            raise SauvegardeImpossible("Ce fichier n'est pas une sauvegarde de Parcours")
        self._aes, self._source = AESGCM(cle_aes), source
        self._rang, self._fin = 0, False
        self._clair, self._position = memoryview(b""), 0

    def readable(self) -> bool:
        return True

    def readinto(self, tampon: WriteableBuffer) -> int:
        while self._position == len(self._clair) and not self._fin:
            self._clair, self._position = memoryview(self._bloc_suivant()), 0
        vers = memoryview(tampon).cast("B")
        n = min(len(vers), len(self._clair) - self._position)
        vers[:n] = self._clair[self._position : self._position + n]
        self._position += n
        return n

    def lire_jusqu_au_bout(self) -> None:
        """A tar reader stops at its end marker: the rest must still be there, intact."""
        while self.read(BLOC):
            pass

    def _bloc_suivant(self) -> bytes:
        tete = self._source.read(16)
        if len(tete) < 16:
            raise SauvegardeImpossible("Sauvegarde tronquée : sa fin manque")
        nonce, (taille,) = tete[:12], struct.unpack(">I", tete[12:])
        chiffre = self._source.read(taille)
        for dernier in (False, True):
            try:
                clair = self._aes.decrypt(nonce, chiffre, _donnees_associees(self._rang, dernier))
            except InvalidTag:  # wrong key, altered block, or the other mark
                continue
            self._rang += 1
            if dernier:
                if self._source.read(1):
                    raise SauvegardeImpossible("Sauvegarde altérée : des données suivent la fin")
                self._fin = True
            return clair
        raise SauvegardeImpossible(
            "Sauvegarde illisible : mauvaise SAUVEGARDE_CLE, ou archive altérée"
        )


def chiffrer(source: BinaryIO, destination: BinaryIO, cle_aes: bytes) -> None:
    chiffreur = Chiffreur(destination, cle_aes)
    shutil.copyfileobj(source, chiffreur, BLOC)
    chiffreur.terminer()


def dechiffrer(source: BinaryIO, destination: BinaryIO, cle_aes: bytes) -> None:
    shutil.copyfileobj(Dechiffreur(source, cle_aes), destination, BLOC)


# --- Fingerprints of the keys -------------------------------------------------------------


def _empreinte(valeur: str) -> str:
    return hashlib.sha256(valeur.encode()).hexdigest()[:16]


def empreintes_des_cles(settings: Settings) -> dict[str, list[str]]:
    return {
        "codec": sorted(_empreinte(f"{i}:{k.hex()}") for i, k in parse_keys(settings.codec_keys)),
        "audit": sorted(_empreinte(c) for c in settings.audit_key.split(",") if c),
    }


def _cles_manquantes(manifeste: dict[str, object], settings: Settings) -> list[str]:
    attendues = manifeste.get("cles")
    if not isinstance(attendues, dict):
        return []
    presentes = empreintes_des_cles(settings)
    return [
        libelle
        for nom, libelle in (("codec", "CODEC_KEYS"), ("audit", "AUDIT_KEY"))
        if not set(attendues.get(nom, [])) <= set(presentes[nom])
    ]


# --- Databases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Base:
    """A database to save: a SQLite file, or a PostgreSQL URL (libpq form)."""

    nom: str
    sqlite: Path | None = None
    postgresql: str | None = None


def _libpq(url: str, base: str | None = None) -> str:
    """``postgresql+asyncpg://…/parcours`` → ``postgresql://…/<base>`` for pg_dump."""
    parties = urlsplit(url)
    chemin = f"/{base}" if base is not None else parties.path
    return urlunsplit(("postgresql", parties.netloc, chemin, parties.query, ""))


def bases(settings: Settings) -> list[Base]:
    lecture = settings.effective_database_url
    trouvees = [
        Base(LECTURE, postgresql=_libpq(lecture))
        if lecture.startswith("postgresql")
        else Base(LECTURE, sqlite=Path(lecture.split(":///", 1)[1]))
    ]
    if settings.temporal_database_url:
        trouvees += [
            Base(f"{TEMPORAL}-{nom}", postgresql=_libpq(settings.temporal_database_url, nom))
            for nom in BASES_TEMPORAL
        ]
    elif (embarquee := settings.data_dir / "temporal.db").is_file():
        trouvees.append(Base(TEMPORAL, sqlite=embarquee))
    return trouvees


def _copier_sqlite(source: Path, cible: Path) -> None:
    """SQLite's online backup: a consistent copy while the platform writes."""
    depuis, vers = sqlite3.connect(source), sqlite3.connect(cible)
    try:
        depuis.backup(vers)
    finally:
        vers.close()
        depuis.close()


def _pg(commande: list[str]) -> None:
    fait = subprocess.run(commande, capture_output=True, text=True, check=False)
    if fait.returncode != 0:
        raise SauvegardeImpossible(f"{commande[0]} a échoué : {fait.stderr.strip()[:500]}")


def _sauver_base(base: Base, dossier: Path) -> str:
    if base.sqlite is not None:
        fichier = f"{base.nom}.sqlite"
        _copier_sqlite(base.sqlite, dossier / fichier)
    else:
        assert base.postgresql is not None
        fichier = f"{base.nom}.dump"
        _pg(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "-f",
                str(dossier / fichier),
                base.postgresql,
            ]
        )
    return fichier


def _restaurer_base(base: Base, dossier: Path, fichier: str) -> None:
    if base.sqlite is not None:
        for annexe in SQLITE_ANNEXES:
            base.sqlite.with_name(base.sqlite.name + annexe).unlink(missing_ok=True)
        base.sqlite.parent.mkdir(parents=True, exist_ok=True)
        _copier_sqlite(dossier / fichier, base.sqlite)
    else:
        assert base.postgresql is not None
        _pg(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "-d",
                base.postgresql,
                str(dossier / fichier),
            ]
        )


# --- Archive -----------------------------------------------------------------------------


def _autres_fichiers(settings: Settings, deja: list[Base]) -> list[Path]:
    bases_sqlite = {b.sqlite.resolve() for b in deja if b.sqlite is not None}
    exclus = {
        p.with_name(p.name + suffixe) for p in bases_sqlite for suffixe in ("", *SQLITE_ANNEXES)
    }
    if not settings.data_dir.is_dir():
        return []
    return sorted(
        p
        for p in settings.data_dir.rglob("*")
        if p.is_file() and p.resolve() not in exclus and settings.sauvegarde_dir not in p.parents
    )


def sauvegarder(settings: Settings, *, maintenant: datetime | None = None) -> Path:
    """Write one encrypted archive into SAUVEGARDE_DIR and apply the retention: its path."""
    cle_aes = cle(settings)
    moment = maintenant or datetime.now(UTC)
    settings.sauvegarde_dir.mkdir(parents=True, exist_ok=True)
    cible = settings.sauvegarde_dir / f"parcours-{moment:%Y%m%dT%H%M%S%fZ}{SUFFIXE}"
    partiel = cible.with_suffix(".partiel")
    with tempfile.TemporaryDirectory(prefix="sauvegarde-") as tmp:
        dossier = Path(tmp)
        a_sauver = bases(settings)
        contenu = {b.nom: _sauver_base(b, dossier) for b in a_sauver}
        try:
            with partiel.open("wb") as sortie:
                chiffreur = Chiffreur(sortie, cle_aes)
                # the tar is streamed into the encryption: no clear copy of it anywhere
                with tarfile.open(fileobj=chiffreur, mode="w|") as tar:
                    for fichier in contenu.values():
                        tar.add(dossier / fichier, fichier)
                    for autre in _autres_fichiers(settings, a_sauver):
                        tar.add(autre, f"{FICHIERS}/{autre.relative_to(settings.data_dir)}")
                    # after the read model: every document row saved has its object here
                    pieces = _sauver_pieces(settings, tar, dossier / "index.jsonl")
                    manifeste = {
                        "version": 2,
                        "le": moment.isoformat(),
                        "bases": contenu,
                        "temporal": "sauvegardée"
                        if any(n.startswith(TEMPORAL) for n in contenu)
                        else None,
                        "pieces_s3": pieces,
                        "cles": empreintes_des_cles(settings),
                    }
                    (dossier / MANIFESTE).write_text(
                        json.dumps(manifeste, indent=2, ensure_ascii=False)
                    )
                    tar.add(dossier / MANIFESTE, MANIFESTE)
                chiffreur.terminer()
            partiel.replace(cible)  # never a half-written archive under the final name
        finally:
            partiel.unlink(missing_ok=True)
    elaguer(settings)
    return cible


def _sauver_pieces(
    settings: Settings, tar: tarfile.TarFile, index: Path
) -> dict[str, object] | None:
    if not settings.pieces_s3_bucket:
        return None  # the documents are files of DATA_DIR, already in the archive
    try:
        return sauvegarde_pieces.sauver(settings, tar, index)
    except sauvegarde_pieces.PiecesRefusees as err:
        raise SauvegardeImpossible(str(err)) from None


def elaguer(settings: Settings) -> list[Path]:
    """Delete all but the SAUVEGARDE_GARDER most recent archives: those deleted."""
    archives = sorted(settings.sauvegarde_dir.glob(f"parcours-*{SUFFIXE}"))
    anciennes = archives[: max(len(archives) - settings.sauvegarde_garder, 0)]
    for ancienne in anciennes:
        ancienne.unlink()
    return anciennes


def _temporal_embarque_arrete(settings: Settings) -> None:
    if settings.temporal_database_url or not settings.embedded_temporal:
        return
    with socket.socket() as s:
        s.settimeout(0.5)
        if s.connect_ex(("127.0.0.1", settings.temporal_port)) == 0:
            raise SauvegardeImpossible(
                "Le serveur Temporal embarqué tourne encore : arrêtez « make run » (Ctrl-C) "
                "avant de restaurer"
            )


def _extraire(tar: tarfile.TarFile, dossier: Path) -> None:
    tar.extractall(dossier, filter="data")  # no absolute path, no « .. », no device


def _dechiffrer_et_extraire(archive: Path, cle_aes: bytes, dossier: Path) -> None:
    with archive.open("rb") as chiffre:
        lecteur = Dechiffreur(chiffre, cle_aes)
        try:
            with tarfile.open(fileobj=lecteur, mode="r|") as tar:
                _extraire(tar, dossier)
        except tarfile.TarError as err:
            raise SauvegardeImpossible(f"Sauvegarde altérée : archive illisible ({err})") from None
        lecteur.lire_jusqu_au_bout()


def restaurer(settings: Settings, archive: Path) -> dict[str, object]:
    """Put back what the archive holds; the platform must be stopped. Its manifest."""
    cle_aes = cle(settings)
    _temporal_embarque_arrete(settings)
    with tempfile.TemporaryDirectory(prefix="restauration-") as tmp:
        contenu = Path(tmp) / "contenu"
        _dechiffrer_et_extraire(archive, cle_aes, contenu)
        if not (contenu / MANIFESTE).is_file():
            raise SauvegardeImpossible("Sauvegarde altérée : son manifeste manque")
        manifeste: dict[str, object] = json.loads((contenu / MANIFESTE).read_text())
        if manquantes := _cles_manquantes(manifeste, settings):
            raise SauvegardeImpossible(
                "Les clés de cette sauvegarde manquent à la configuration ("
                + ", ".join(manquantes)
                + ") : sans elles, les historiques et le journal d'audit restaurés seraient "
                "illisibles. Reprenez-les du coffre des secrets."
            )
        # everything checked, and the documents' store reached, before anything is replaced
        pieces = manifeste.get("pieces_s3")
        try:
            if isinstance(pieces, dict):
                objets = sauvegarde_pieces.verifier(contenu, pieces)
                client = sauvegarde_pieces.preparer(settings, pieces)
        except sauvegarde_pieces.PiecesRefusees as err:
            raise SauvegardeImpossible(str(err)) from None
        fichiers = manifeste["bases"]
        assert isinstance(fichiers, dict)
        destinations = {b.nom: b for b in bases(settings)}
        if TEMPORAL in fichiers and TEMPORAL not in destinations:
            destinations[TEMPORAL] = Base(TEMPORAL, sqlite=settings.data_dir / "temporal.db")
        if inconnues := [nom for nom in fichiers if nom not in destinations]:
            raise SauvegardeImpossible(f"Aucune destination configurée pour « {inconnues[0]} »")
        for nom, fichier in fichiers.items():
            _restaurer_base(destinations[nom], contenu, fichier)
        if (autres := contenu / FICHIERS).is_dir():
            shutil.copytree(autres, settings.data_dir, dirs_exist_ok=True)
        if isinstance(pieces, dict):
            try:
                _, pieces["supprimees"] = sauvegarde_pieces.remettre(
                    client, settings, contenu, objets
                )
            except sauvegarde_pieces.PiecesRefusees as err:
                raise SauvegardeImpossible(str(err)) from None
    return manifeste


def _ce_qui(manifeste: dict[str, object]) -> str:
    restaure = ", ".join(manifeste["bases"])  # type: ignore[arg-type]
    if isinstance(pieces := manifeste.get("pieces_s3"), dict):
        restaure += f", {pluriel(pieces['objets'], 'pièce')} dans « {pieces['bucket']} »"
        if supprimees := pieces.get("supprimees"):
            apres = pluriel(
                supprimees,
                "pièce déposée après la sauvegarde, supprimée",
                "pièces déposées après la sauvegarde, supprimées",
            )
            restaure += f", {apres}"
    return restaure


def main(argv: list[str] | None = None) -> int:
    analyseur = argparse.ArgumentParser(prog="python -m ops.sauvegarde", description=__doc__)
    actions = analyseur.add_subparsers(dest="action", required=True)
    actions.add_parser("sauvegarder", help="écrit une archive chiffrée dans SAUVEGARDE_DIR")
    restauration = actions.add_parser("restaurer", help="remet en place une archive")
    restauration.add_argument("archive", type=Path)
    arguments = analyseur.parse_args(argv)
    settings = get_settings()
    try:
        if arguments.action == "sauvegarder":
            print(f"Sauvegarde écrite : {sauvegarder(settings)}")  # noqa: T201
        else:
            manifeste = restaurer(settings, arguments.archive)
            print(f"Restauré : la sauvegarde du {manifeste['le']} ({_ce_qui(manifeste)})")  # noqa: T201
    except SauvegardeImpossible as err:
        journaux.erreur(f"Erreur : {err}")
        return 1
    return 0


if __name__ == "__main__":
    journaux.commande("sauvegarde")
    sys.exit(main())
