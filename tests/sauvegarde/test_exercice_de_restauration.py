"""The restore drill: a running platform (embedded Temporal on its SQLite file, the read model
on SQLite or, with PARCOURS_TEST_DB=postgresql, PostgreSQL; its documents as files of DATA_DIR
or objects of a real S3-compatible server) is backed up while it runs, then destroyed, then
restored from the encrypted archive alone; the parcours comes back with its document, takes
its next command, and the audit chain holds."""

from __future__ import annotations

import base64
import io
import os
import secrets
import shutil
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from unittest.mock import ANY

import httpx
import pytest
from sqlalchemy import text
from temporalio.testing import WorkflowEnvironment

from core import search_attributes as sa
from core.settings import DEV_CODEC_KEY, Settings
from core.temporal import data_converter
from devstack.demo.comptes import base_avec_comptes
from ops import sauvegarde
from pieces.stockage import client_s3
from services.audit import verifier_chaine
from store.db import make_engine, session_factory
from tests.api import donnees
from tests.fixtures.outils import binary
from tests.fixtures.plateforme import _free_socket, servir
from tests.fixtures.postgres import BasesDeTest
from tests.pieces.test_pieces import un_pdf
from tests.sauvegarde.conftest import port_libre
from web.app import create_app
from worker import running_worker

CLAIRE = "ref-claire-martin"
PDF = un_pdf("Attestation à restaurer")
PIECE = {
    "type": "attestation",
    "nom_fichier": "attestation.pdf",
    "contenu": base64.b64encode(PDF).decode(),
}


@dataclass
class Pile:
    settings: Settings
    base_url: str


@asynccontextmanager
async def demarrer(settings: Settings, queue: str) -> AsyncIterator[Pile]:
    """Temporal on DATA_DIR/temporal.db (as make run), a worker and the web app."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=binary("temporal"),
        dev_server_database_filename=str(settings.data_dir / "temporal.db"),
        data_converter=data_converter(settings.codec_keys),
        search_attributes=sa.ALL,
        # make run's pragmas (devstack/temporal_dev.py): without WAL, concurrent writes of
        # the server's own shards fail with SQLITE_BUSY
        dev_server_extra_args=[
            "--sqlite-pragma",
            "journal_mode=WAL",
            "--sqlite-pragma",
            "synchronous=NORMAL",
        ],
    )
    try:
        adresse = env.client.service_client.config.target_host
        settings = settings.model_copy(update={"temporal_address": adresse})
        async with running_worker(env.client, settings, task_queue=queue):
            sock = _free_socket()
            async with servir(create_app(settings, task_queue=queue), sock):
                yield Pile(settings, f"http://127.0.0.1:{sock.getsockname()[1]}")
    finally:
        await env.shutdown()


def _effacer(dossier: Path, base: Path | None = None) -> None:
    shutil.rmtree(dossier)
    if base is not None:
        for annexe in ("", "-wal", "-shm"):
            base.with_name(base.name + annexe).unlink(missing_ok=True)
        assert not base.exists()


def vider_le_bucket(settings: Settings) -> None:
    client = client_s3(settings)
    bucket = settings.pieces_s3_bucket
    for objet in client.list_objects_v2(Bucket=bucket).get("Contents", []):
        client.delete_object(Bucket=bucket, Key=objet["Key"])
    client.delete_bucket(Bucket=bucket)


async def casser(settings: Settings) -> None:
    """The disk is lost: DATA_DIR gone, the read model emptied, the documents' bucket gone."""
    if settings.pieces_s3_bucket:
        vider_le_bucket(settings)
    url = settings.effective_database_url
    if url.startswith("sqlite"):
        _effacer(settings.data_dir, Path(url.split(":///", 1)[1]))
    else:
        _effacer(settings.data_dir)
        engine = make_engine(settings.effective_database_url)
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await engine.dispose()


def stockage_s3(serveur_s3: str) -> dict[str, str]:
    return {
        "pieces_s3_bucket": f"pieces-{uuid.uuid4().hex[:12]}",  # this test's own
        "pieces_s3_endpoint": serveur_s3,
        "pieces_s3_access_key": "cle",
        "pieces_s3_secret_key": "secret",
    }


@pytest.mark.parametrize("stockage", ["fichiers", "s3"])
async def test_sauvegarder_casser_restaurer_le_parcours_revient_et_continue(
    tmp_path: Path, bases_de_test: BasesDeTest, serveur_s3: str, stockage: str
) -> None:
    settings = Settings(
        DATA_DIR=tmp_path / "var",
        DATABASE_URL=bases_de_test.nouvelle(tmp_path),
        SAUVEGARDE_CLE=base64.b64encode(os.urandom(32)).decode(),
        SAUVEGARDE_DIR=tmp_path / "sauvegardes",
        CODEC_KEYS=DEV_CODEC_KEY,
        TEMPORAL_PORT=port_libre(),  # the restore's « still running? » looks at this port
    ).model_copy(update=stockage_s3(serveur_s3) if stockage == "s3" else {})
    settings.data_dir.mkdir()
    jetons = await base_avec_comptes(settings.effective_database_url, "restauration")
    entetes = {"Authorization": f"Bearer {jetons[CLAIRE]}"}
    jour = date.today()
    nom = "Restaure" + secrets.token_hex(3).upper()
    queue = f"restauration-{uuid.uuid4()}"  # the same after the restore: the parcours' own

    async with demarrer(settings, queue) as pile:
        async with httpx.AsyncClient(base_url=pile.base_url, headers=entetes, timeout=30) as c:
            cree = await c.post("/api/v1/parcours", json=donnees.accueil(jour, nom=nom))
            assert cree.status_code == 201, cree.text
            pid = cree.json()["id"]
            diag = await c.post(
                f"/api/v1/parcours/{pid}/enregistrer-diagnostic", json=donnees.diagnostic(jour)
            )
            assert diag.status_code == 200, diag.text
            depot = await c.post(f"/api/v1/parcours/{pid}/documents", json=PIECE)
            assert depot.status_code == 201, depot.text
            piece = depot.json()["id"]
            avant = (await c.get(f"/api/v1/parcours/{pid}")).json()
        archive = sauvegarde.sauvegarder(settings)  # while everything runs

    assert nom.encode() not in archive.read_bytes()  # encrypted
    await casser(settings)
    assert not (settings.data_dir / "temporal.db").exists()

    manifeste = sauvegarde.restaurer(settings, archive)
    assert manifeste["temporal"] == "sauvegardée"
    if stockage == "s3":
        assert manifeste["pieces_s3"] == {
            "bucket": settings.pieces_s3_bucket,
            "objets": 1,
            "octets": ANY,
            "empreinte": ANY,
            "supprimees": 0,
        }

    async with demarrer(settings, queue) as pile:
        async with httpx.AsyncClient(base_url=pile.base_url, headers=entetes, timeout=30) as c:
            fiche = await c.get(f"/api/v1/parcours/{pid}")
            assert fiche.status_code == 200, fiche.text
            assert fiche.json()["etat"]["usager"]["nom"] == nom
            assert fiche.json()["etat"]["version"] == avant["etat"]["version"]
            assert fiche.json()["phase"] == "diagnostic"
            copie = await c.get(f"/api/v1/parcours/{pid}/documents/{piece}")
            assert copie.status_code == 200, copie.text
            assert copie.content == PDF
            decision = {
                "decidee_le": jour.isoformat(),
                "type": "professionnelle",
                "organisme": "france_travail",
                "referent_id": "ref-karim-benali",
            }
            suite = await c.post(f"/api/v1/parcours/{pid}/decider-orientation", json=decision)
            assert suite.status_code == 200, suite.text
            assert suite.json()["phase"] == "orientation"
        engine = make_engine(settings.effective_database_url)
        async with session_factory(engine)() as session:
            etat = await verifier_chaine(session, cles=[settings.audit_key.encode()])
        await engine.dispose()
        assert etat.probleme is None, etat.probleme
        assert etat.entrees > 0


def _settings(tmp_path: Path, cle: bytes) -> Settings:
    return Settings(
        DATA_DIR=tmp_path / "var",
        SAUVEGARDE_CLE=base64.b64encode(cle).decode(),
        SAUVEGARDE_DIR=tmp_path / "sauvegardes",
        TEMPORAL_PORT=port_libre(),
    )


def test_une_archive_tronquee_alteree_ou_d_une_autre_cle_est_refusee() -> None:
    cle = os.urandom(32)
    clair = os.urandom(sauvegarde.BLOC * 2 + 10)  # three blocks
    chiffre = io.BytesIO()
    sauvegarde.chiffrer(io.BytesIO(clair), chiffre, cle)
    donnees_chiffrees = chiffre.getvalue()
    retour = io.BytesIO()
    sauvegarde.dechiffrer(io.BytesIO(donnees_chiffrees), retour, cle)
    assert retour.getvalue() == clair

    tronquee = donnees_chiffrees[: len(sauvegarde.ENTETE) + 16 + sauvegarde.BLOC + 16]
    with pytest.raises(sauvegarde.SauvegardeImpossible, match="tronquée"):
        sauvegarde.dechiffrer(io.BytesIO(tronquee), io.BytesIO(), cle)
    alteree = bytearray(donnees_chiffrees)
    alteree[-5] ^= 1
    with pytest.raises(sauvegarde.SauvegardeImpossible, match="illisible"):
        sauvegarde.dechiffrer(io.BytesIO(bytes(alteree)), io.BytesIO(), cle)
    with pytest.raises(sauvegarde.SauvegardeImpossible, match="illisible"):
        sauvegarde.dechiffrer(io.BytesIO(donnees_chiffrees), io.BytesIO(), os.urandom(32))


def test_sans_les_cles_de_la_sauvegarde_la_restauration_refuse(tmp_path: Path) -> None:
    cle = os.urandom(32)
    settings = _settings(tmp_path, cle)
    settings.data_dir.mkdir()
    archive = sauvegarde.sauvegarder(settings)
    autre_codec = f"autre:{base64.b64encode(os.urandom(32)).decode()}"
    sans_la_cle = settings.model_copy(update={"codec_keys": autre_codec})
    with pytest.raises(sauvegarde.SauvegardeImpossible, match="CODEC_KEYS"):
        sauvegarde.restaurer(sans_la_cle, archive)
    apres_rotation = settings.model_copy(update={"codec_keys": f"{autre_codec},{DEV_CODEC_KEY}"})
    sauvegarde.restaurer(apres_rotation, archive)  # the old key kept after a rotation: fine


def test_la_retention_garde_les_plus_recentes(tmp_path: Path) -> None:
    settings = _settings(tmp_path, os.urandom(32)).model_copy(update={"sauvegarde_garder": 2})
    settings.data_dir.mkdir()
    faites = [sauvegarde.sauvegarder(settings) for _ in range(4)]
    assert sorted(settings.sauvegarde_dir.iterdir()) == faites[-2:]
