"""The documents' service and stores (issue 17, item 3), without the web: what is refused and
why (in French), encryption at rest under the codec's keys and their rotation, the
filesystem store and a real S3-compatible server (moto's, over HTTP), the erasure."""

from __future__ import annotations

import base64
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import boto3
import pytest
import pytest_asyncio
from fpdf import FPDF
from moto.server import ThreadedMotoServer
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.codec import CodecKeyError
from core.settings import Settings
from pieces import service
from pieces.chiffrement import cles_de
from pieces.service import TAILLE_MAX, Coffre, PieceRefusee
from pieces.stockage import FichiersLocaux, StockageS3
from schemas.common import Acteur, Role
from schemas.pieces import DemandePiece
from store.db import create_schema, make_engine, session_factory
from store.pieces import PieceRow
from web.securite.entetes import LIMITE_CORPS

CLE_1 = "k1:" + base64.b64encode(b"1" * 32).decode()
CLE_2 = "k2:" + base64.b64encode(b"2" * 32).decode()
AUTEUR = Acteur(id="ref-sophie-girard", nom="Sophie Girard", role=Role.REFERENT)
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"PE\x00\x00"


def un_pdf(texte: str = "Attestation de suivi") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=texte)
    return bytes(pdf.output())


def demande(octets: bytes, nom: str = "cv.pdf", type_: str = "cv", **extra: object) -> DemandePiece:
    contenu = base64.b64encode(octets).decode()
    return DemandePiece.model_validate(
        {"type": type_, "nom_fichier": nom, "contenu": contenu, **extra}
    )


@pytest_asyncio.fixture
async def session(tmp_path: Path) -> AsyncIterator[AsyncSession]:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'pieces.db'}")
    await create_schema(engine)
    async with session_factory(engine)() as s:
        yield s
    await engine.dispose()


def coffre_local(tmp_path: Path, cles: str = CLE_1) -> Coffre:
    return Coffre(FichiersLocaux(tmp_path / "pieces"), cles_de(cles))


async def test_un_executable_nomme_pdf_est_refuse_en_francais(
    session: AsyncSession, tmp_path: Path
) -> None:
    coffre = coffre_local(tmp_path)
    with pytest.raises(PieceRefusee) as refus:
        await service.deposer(session, coffre, "p1", demande(EXECUTABLE, "cv.pdf"), AUTEUR)
    assert refus.value.status == 422
    assert refus.value.erreurs[0]["champ"] == "contenu"
    assert refus.value.message == (
        "Le fichier « cv.pdf » est refusé : son contenu est celui d'un programme exécutable, "
        "pas d'un PDF. Formats acceptés : PDF, JPEG ou PNG."
    )
    assert not (tmp_path / "pieces").exists()  # nothing written
    assert (await session.exec(select(PieceRow))).all() == []


async def test_le_format_vient_des_octets_pas_du_nom(session: AsyncSession, tmp_path: Path) -> None:
    png = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\x00" * 32
    row = await service.deposer(
        session, coffre_local(tmp_path), "p1", demande(png, "C:\\docs\\scan.pdf"), AUTEUR
    )
    assert (row.type_mime, row.nom_fichier) == ("image/png", "scan.pdf")
    assert service.nom_de_telechargement(row) == "scan.png"
    with pytest.raises(PieceRefusee, match="d'un format non reconnu, pas d'un PDF"):
        await service.deposer(
            session, coffre_local(tmp_path), "p1", demande(b"%PD pas un pdf", "a.pdf"), AUTEUR
        )


async def test_taille_limitee_sous_le_plafond_des_requetes(
    session: AsyncSession, tmp_path: Path
) -> None:
    # the largest document accepted, in base64 inside a JSON body, passes the 1 Mo cap
    corps = DemandePiece(type="cv", nom_fichier="x" * 200, contenu="A" * (TAILLE_MAX * 4 // 3 + 4))
    assert len(corps.model_dump_json()) < LIMITE_CORPS
    trop = un_pdf() + b"\x00" * TAILLE_MAX
    with pytest.raises(
        PieceRefusee, match=r"Fichier trop volumineux \(\d+ Kio\) : 700 Kio au plus"
    ):
        await service.deposer(session, coffre_local(tmp_path), "p1", demande(trop), AUTEUR)


async def test_cer_rattache_a_un_contrat_du_parcours(session: AsyncSession, tmp_path: Path) -> None:
    coffre = coffre_local(tmp_path)
    cer = demande(un_pdf(), "cer.pdf", "cer_signe", contrat_numero=2)
    with pytest.raises(PieceRefusee, match="pas de contrat n° 2") as refus:
        await service.deposer(session, coffre, "p1", cer, AUTEUR, contrats={1})
    assert refus.value.erreurs[0]["champ"] == "contrat_numero"
    with pytest.raises(PieceRefusee, match="« CV » ne se rattache pas"):
        await service.deposer(session, coffre, "p1", demande(un_pdf(), contrat_numero=1), AUTEUR)
    row = await service.deposer(session, coffre, "p1", cer, AUTEUR, contrats={1, 2})
    assert row.contrat_numero == 2


async def test_chiffre_au_repos_avec_la_rotation_des_cles_du_codec(
    session: AsyncSession, tmp_path: Path
) -> None:
    pdf = un_pdf("Justificatif de domicile de Zoé Duval")
    row = await service.deposer(session, coffre_local(tmp_path, CLE_1), "p1", demande(pdf), AUTEUR)
    sur_disque = (tmp_path / "pieces" / row.cle).read_bytes()
    assert b"%PDF" not in sur_disque
    # no stretch of the document is stored as is (two bytes would turn up in random ones)
    assert not any(pdf[i : i + 16] in sur_disque for i in range(0, len(pdf) - 16, 16))
    # a new key first: it encrypts, the former one still decrypts what it sealed
    apres_rotation = coffre_local(tmp_path, f"{CLE_2},{CLE_1}")
    assert await service.lire(apres_rotation, row) == pdf
    nouveau = await service.deposer(session, apres_rotation, "p1", demande(pdf), AUTEUR)
    assert (tmp_path / "pieces" / nouveau.cle).read_bytes()[7:9] == b"k2"
    with pytest.raises(CodecKeyError, match="Clé de chiffrement inconnue : « k1 »"):
        await service.lire(coffre_local(tmp_path, CLE_2), row)
    # bytes moved under another document's id do not decrypt
    autre = row.model_copy(update={"id": nouveau.id})
    with pytest.raises(CodecKeyError, match="altéré ou tronqué"):
        await service.lire(apres_rotation, autre)


@pytest.fixture(scope="module")
def serveur_s3() -> Iterator[str]:
    """moto's S3-compatible server, over HTTP on a free port (not an in-memory mock)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    serveur = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    serveur.start()
    yield f"http://127.0.0.1:{port}"
    serveur.stop()


async def test_stockage_compatible_s3(
    session: AsyncSession, tmp_path: Path, serveur_s3: str
) -> None:
    settings = Settings(
        DATA_DIR=tmp_path,
        CODEC_KEYS=CLE_1,
        PIECES_S3_BUCKET="pieces-test",
        PIECES_S3_ENDPOINT=serveur_s3,
        PIECES_S3_ACCESS_KEY="cle",
        PIECES_S3_SECRET_KEY="secret",
    )
    coffre = Coffre.depuis(settings)
    assert isinstance(coffre.stockage, StockageS3)
    pdf = un_pdf()
    row = await service.deposer(session, coffre, "p1", demande(pdf), AUTEUR)
    s3 = boto3.client(
        "s3",
        endpoint_url=serveur_s3,
        region_name="us-east-1",
        aws_access_key_id="cle",
        aws_secret_access_key="secret",
    )
    objet = s3.get_object(Bucket="pieces-test", Key=row.cle)["Body"].read()
    assert objet.startswith(b"PIECE1")
    assert b"%PDF" not in objet
    assert await service.lire(coffre, row) == pdf
    assert not (tmp_path / "pieces").exists()  # nothing on the filesystem

    assert await service.effacer_du_parcours(session, coffre, "p1") == 1
    await session.commit()
    assert s3.list_objects_v2(Bucket="pieces-test").get("KeyCount") == 0
    assert (await session.exec(select(PieceRow))).all() == []
