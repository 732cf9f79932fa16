"""The documents' bucket in a backup (PIECES_S3_BUCKET, a real S3-compatible server over HTTP):
the manifest counts and fingerprints its objects, a restore puts them back byte for byte and
removes what was deposited after the backup, and an archive whose objects are missing or
altered is refused in French before anything is touched."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import sqlite3
import tarfile
import uuid
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from core.settings import Settings
from ops import sauvegarde
from ops.sauvegarde_pieces import INDEX, OBJETS
from pieces.stockage import client_s3
from tests.sauvegarde.conftest import port_libre

GROS = 9 << 20  # more than a block of the archive, and uploaded back in several parts


def reglages(tmp_path: Path, serveur_s3: str) -> Settings:
    return Settings(
        DATA_DIR=tmp_path / "var",
        SAUVEGARDE_CLE=base64.b64encode(os.urandom(32)).decode(),
        SAUVEGARDE_DIR=tmp_path / "sauvegardes",
        TEMPORAL_PORT=port_libre(),
        PIECES_S3_BUCKET=f"pieces-{uuid.uuid4().hex[:12]}",
        PIECES_S3_ENDPOINT=serveur_s3,
        PIECES_S3_ACCESS_KEY="cle",
        PIECES_S3_SECRET_KEY="secret",
    )


def contenu_du_bucket(settings: Settings) -> dict[str, bytes]:
    client, bucket = client_s3(settings), settings.pieces_s3_bucket
    return {
        objet["Key"]: client.get_object(Bucket=bucket, Key=objet["Key"])["Body"].read()
        for objet in client.list_objects_v2(Bucket=bucket).get("Contents", [])
    }


def deposer(settings: Settings, objets: dict[str, bytes]) -> None:
    client = client_s3(settings)
    for cle, octets in objets.items():
        client.put_object(Bucket=settings.pieces_s3_bucket, Key=cle, Body=octets)


@pytest.fixture
def sauvegardee(tmp_path: Path, serveur_s3: str) -> tuple[Settings, Path, dict[str, bytes]]:
    settings = reglages(tmp_path, serveur_s3)
    settings.data_dir.mkdir()
    client_s3(settings).create_bucket(Bucket=settings.pieces_s3_bucket)
    objets = {"p1/d1": b"PIECE1 premier", "p1/d2": os.urandom(GROS), "p2/d3": b""}
    deposer(settings, objets)
    return settings, sauvegarde.sauvegarder(settings), objets


def membres(settings: Settings, archive: Path) -> dict[str, bytes]:
    clair = io.BytesIO()
    with archive.open("rb") as chiffre:
        sauvegarde.dechiffrer(chiffre, clair, sauvegarde.cle(settings))
    clair.seek(0)
    with tarfile.open(fileobj=clair) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}  # type: ignore[union-attr]


def reecrire(
    settings: Settings, archive: Path, changer: Callable[[dict[str, bytes]], None]
) -> Path:
    """The same archive, changed inside and encrypted again with the right key: what a bug, a
    store that answered wrongly, or someone holding the key could leave."""
    contenu = membres(settings, archive)
    changer(contenu)
    tar_clair = io.BytesIO()
    with tarfile.open(fileobj=tar_clair, mode="w") as tar:
        for nom, octets in contenu.items():
            info = tarfile.TarInfo(nom)
            info.size = len(octets)
            tar.addfile(info, io.BytesIO(octets))
    tar_clair.seek(0)
    autre = archive.with_name(f"alteree-{uuid.uuid4().hex[:6]}{sauvegarde.SUFFIXE}")
    with autre.open("wb") as sortie:
        sauvegarde.chiffrer(tar_clair, sortie, sauvegarde.cle(settings))
    return autre


def test_le_manifeste_compte_les_pieces_et_la_restauration_les_remet(
    sauvegardee: tuple[Settings, Path, dict[str, bytes]],
) -> None:
    settings, archive, objets = sauvegardee
    contenu = membres(settings, archive)
    pieces = json.loads(contenu[sauvegarde.MANIFESTE])["pieces_s3"]
    assert pieces == {
        "bucket": settings.pieces_s3_bucket,
        "objets": 3,
        "octets": sum(map(len, objets.values())),
        "empreinte": hashlib.sha256(contenu[INDEX]).hexdigest(),
    }
    assert objets["p1/d2"] not in archive.read_bytes()  # encrypted

    # the bucket lost one document, another changed, and one came after the backup
    client = client_s3(settings)
    client.delete_object(Bucket=settings.pieces_s3_bucket, Key="p1/d1")
    deposer(settings, {"p1/d2": b"autre chose", "p9/apres": b"deposee apres"})

    manifeste = sauvegarde.restaurer(settings, archive)
    assert contenu_du_bucket(settings) == objets
    assert manifeste["pieces_s3"]["supprimees"] == 1  # type: ignore[index]
    assert sauvegarde._ce_qui(manifeste) == (
        "modele-de-lecture, 3 pièces dans « "
        + settings.pieces_s3_bucket
        + " », 1 pièce déposée après la sauvegarde, supprimée"
    )


def _alterer(contenu: dict[str, bytes]) -> None:
    contenu[f"{OBJETS}/00000002"] = contenu[f"{OBJETS}/00000002"][:-1] + b"?"


def _perdre(contenu: dict[str, bytes]) -> None:
    del contenu[f"{OBJETS}/00000001"]


def _perdre_l_index(contenu: dict[str, bytes]) -> None:
    del contenu[INDEX]


@pytest.mark.parametrize(
    ("changer", "message"),
    [
        (_alterer, "1 pièce est altérée (p1/d2) par rapport à son manifeste"),
        (_perdre, "1 pièce manque (p1/d1) par rapport à son manifeste"),
        (_perdre_l_index, "l'index des pièces manque ou ne correspond pas"),
    ],
)
def test_une_archive_aux_pieces_manquantes_ou_alterees_est_refusee_sans_rien_toucher(
    sauvegardee: tuple[Settings, Path, dict[str, bytes]],
    changer: Callable[[dict[str, bytes]], None],
    message: str,
) -> None:
    settings, archive, _ = sauvegardee
    alteree = reecrire(settings, archive, changer)
    # the platform after the backup: the bucket and the read model must stay as they are
    deposer(settings, {"p9/apres": b"deposee apres"})
    avant = contenu_du_bucket(settings)
    lecture = settings.data_dir / "parcours.db"
    with closing(sqlite3.connect(lecture)) as base, base:
        base.execute("CREATE TABLE apres (quoi TEXT)")

    with pytest.raises(sauvegarde.SauvegardeImpossible) as refus:
        sauvegarde.restaurer(settings, alteree)
    assert str(refus.value).startswith("Sauvegarde refusée, rien n'a été restauré : ")
    assert message in str(refus.value)
    assert contenu_du_bucket(settings) == avant
    with closing(sqlite3.connect(lecture)) as base:
        assert base.execute("SELECT name FROM sqlite_master").fetchall() == [("apres",)]


def test_sans_stockage_s3_configure_la_restauration_le_demande(
    sauvegardee: tuple[Settings, Path, dict[str, bytes]],
) -> None:
    settings, archive, _ = sauvegardee
    sans_s3 = settings.model_copy(update={"pieces_s3_bucket": ""})
    with pytest.raises(sauvegarde.SauvegardeImpossible, match="PIECES_S3_BUCKET n'est pas réglé"):
        sauvegarde.restaurer(sans_s3, archive)


def test_un_bucket_jamais_ecrit_se_sauvegarde_vide(tmp_path: Path, serveur_s3: str) -> None:
    settings = reglages(tmp_path, serveur_s3)  # its bucket does not exist yet
    settings.data_dir.mkdir()
    archive = sauvegarde.sauvegarder(settings)
    manifeste = sauvegarde.restaurer(settings, archive)
    assert manifeste["pieces_s3"]["objets"] == 0  # type: ignore[index]
    assert contenu_du_bucket(settings) == {}


def test_un_stockage_qui_ne_repond_pas_est_dit_sans_archive_ni_restauration(
    sauvegardee: tuple[Settings, Path, dict[str, bytes]],
) -> None:
    settings, archive, _ = sauvegardee
    ferme = settings.model_copy(update={"pieces_s3_endpoint": f"http://127.0.0.1:{port_libre()}"})
    with pytest.raises(
        sauvegarde.SauvegardeImpossible, match="ne répond pas pendant la sauvegarde"
    ):
        sauvegarde.sauvegarder(ferme)
    assert sorted(settings.sauvegarde_dir.iterdir()) == [archive]  # nothing half-written left

    lecture = settings.data_dir / "parcours.db"
    lecture.unlink(missing_ok=True)
    with pytest.raises(sauvegarde.SauvegardeImpossible, match="ne répond pas ; rien n'a été"):
        sauvegarde.restaurer(ferme, archive)
    assert not lecture.exists()
