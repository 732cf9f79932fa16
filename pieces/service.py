"""Attach, list, read and erase the documents of a dossier. Who may do it is the routes'
business (web/api/pieces.py); here: what is accepted, and how it is kept.

A document is accepted when its type is declared (rules/pieces.yaml), its size at most
``TAILLE_MAX``, and its bytes — not its name, not what the browser says — those of a declared
format. Its bytes are encrypted (pieces/chiffrement.py) before they reach the store."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath, PureWindowsPath

import filetype
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.settings import Settings
from pieces import regles
from pieces.chiffrement import Cles, chiffrer, cles_de, dechiffrer
from pieces.stockage import Stockage, stockage_de
from schemas.common import Acteur
from schemas.erreurs import CodeErreur
from schemas.pieces import DemandePiece, FormatPiece, PieceVue
from store.db import ecriture
from store.pieces import PieceRow

# Requests are capped at 1 Mo while they stream (web/securite/saisies.py) and a document
# travels in base64 (4/3 of its size) inside JSON or a form: 700 Kio leave room for the rest.
TAILLE_MAX = 700 * 1024
EXECUTABLES = frozenset({"application/x-msdownload", "application/x-executable"})


@dataclass
class PieceRefusee(Exception):
    status: int
    message: str
    code: str = CodeErreur.DONNEES_INVALIDES
    erreurs: list[dict[str, str]] = field(default_factory=list)


def _invalide(champ: str, message: str) -> PieceRefusee:
    return PieceRefusee(
        422, message, CodeErreur.DONNEES_INVALIDES, [{"champ": champ, "message": message}]
    )


@dataclass(frozen=True)
class Coffre:
    """The store and the keys: what every operation on bytes needs."""

    stockage: Stockage
    cles: Cles

    @classmethod
    def depuis(cls, settings: Settings) -> Coffre:
        return cls(stockage_de(settings), cles_de(settings.codec_keys))


def decoder(contenu: str) -> bytes:
    try:
        return base64.b64decode(contenu, validate=True)
    except (binascii.Error, ValueError):
        raise _invalide("contenu", "Contenu illisible : encodez le fichier en base64") from None


def nom_de_fichier(nom: str) -> str:
    """The last part of the name a browser or a client gave, whatever its separators."""
    dernier = PureWindowsPath(PurePosixPath(nom.strip()).name).name
    return dernier[:200] or "document"


def _ce_qu_il_est(mime: str | None) -> str:
    if mime is None:
        return "d'un format non reconnu"
    if mime in EXECUTABLES:
        return "celui d'un programme exécutable"
    return f"de type {mime}"


def format_du_contenu(octets: bytes, nom: str) -> FormatPiece:
    """The format the bytes say; a name ending in « .pdf » proves nothing."""
    trouve = filetype.guess(octets)
    mime = trouve.mime if trouve is not None else None
    accepte = regles.formats().get(mime or "")
    if accepte is not None:
        return accepte
    attendu = next(
        (f for f in regles.formats().values() if nom.lower().endswith(f".{f.extension}")), None
    )
    pas = f", pas d'un {attendu.libelle}" if attendu is not None else ""
    raise _invalide(
        "contenu",
        f"Le fichier « {nom} » est refusé : son contenu est {_ce_qu_il_est(mime)}{pas}. "
        f"Formats acceptés : {regles.formats_acceptes()}.",
    )


def _verifier_demande(demande: DemandePiece, octets: bytes, contrats: Collection[int]) -> None:
    type_ = regles.types().get(demande.type)
    if type_ is None:
        raise _invalide("type", f"Type de document inconnu : « {demande.type[:40]} »")
    if not octets:
        raise _invalide("contenu", "Le fichier est vide")
    if len(octets) > TAILLE_MAX:
        raise _invalide(
            "contenu",
            f"Fichier trop volumineux ({len(octets) // 1024} Kio) : {TAILLE_MAX // 1024} Kio au plus",
        )
    if demande.contrat_numero is None:
        return
    if not type_.rattachable_au_contrat:
        raise _invalide(
            "contrat_numero", f"Un document « {type_.libelle} » ne se rattache pas à un contrat"
        )
    if demande.contrat_numero not in contrats:
        raise _invalide(
            "contrat_numero", f"Ce parcours n'a pas de contrat n° {demande.contrat_numero}"
        )


async def deposer(
    session: AsyncSession,
    coffre: Coffre,
    parcours_id: str,
    demande: DemandePiece,
    auteur: Acteur,
    contrats: Collection[int] = (),
    piece_id: str | None = None,
) -> PieceRow:
    """``contrats``: the numbers of the parcours' contracts, to which a CER may be attached.
    ``piece_id``: given by a retried activity (a letter), so that a retry files it once."""
    octets = decoder(demande.contenu)
    _verifier_demande(demande, octets, contrats)
    nom = nom_de_fichier(demande.nom_fichier)
    format_ = format_du_contenu(octets, nom)
    piece_id = piece_id or uuid.uuid4().hex
    cle = f"{parcours_id}/{piece_id}"
    await coffre.stockage.ecrire(cle, chiffrer(coffre.cles, piece_id, octets))
    row = PieceRow(
        id=piece_id,
        parcours_id=parcours_id,
        type=demande.type,
        nom_fichier=nom,
        type_mime=format_.type_mime,
        taille=len(octets),
        contrat_numero=demande.contrat_numero,
        cle=cle,
        depose_le=datetime.now(UTC),
        auteur=auteur.model_dump(mode="json"),
    )
    try:
        await ecriture(session)
        session.add(row)
        await session.commit()
    except BaseException:
        await coffre.stockage.supprimer(cle)  # no bytes without their row: nobody would find them
        raise
    return row


async def lister(session: AsyncSession, parcours_id: str) -> list[PieceRow]:
    return list(
        (
            await session.exec(
                select(PieceRow)
                .where(PieceRow.parcours_id == parcours_id)
                .order_by(col(PieceRow.depose_le).desc())
            )
        ).all()
    )


async def charger(session: AsyncSession, parcours_id: str, piece_id: str) -> PieceRow:
    row = await session.get(PieceRow, piece_id)
    if row is None or row.parcours_id != parcours_id:
        raise PieceRefusee(404, "Document introuvable", "document_inconnu")
    return row


async def lire(coffre: Coffre, row: PieceRow) -> bytes:
    return dechiffrer(coffre.cles, row.id, await coffre.stockage.lire(row.cle))


async def effacer_du_parcours(session: AsyncSession, coffre: Coffre, parcours_id: str) -> int:
    """The bytes first, then the rows (in the caller's transaction): if the store fails, the
    rows stay to find the bytes again at the next attempt."""
    rows = await lister(session, parcours_id)
    for row in rows:
        await coffre.stockage.supprimer(row.cle)
    await session.exec(delete(PieceRow).where(col(PieceRow.parcours_id) == parcours_id))
    return len(rows)


def depose_le(row: PieceRow) -> datetime:
    """SQLite gives back naive date-times: they were written in UTC."""
    return row.depose_le if row.depose_le.tzinfo else row.depose_le.replace(tzinfo=UTC)


def vue(row: PieceRow) -> PieceVue:
    type_ = regles.types().get(row.type)
    return PieceVue(
        id=row.id,
        parcours_id=row.parcours_id,
        type=row.type,
        type_libelle=type_.libelle if type_ is not None else row.type,
        nom_fichier=row.nom_fichier,
        type_mime=row.type_mime,
        taille=row.taille,
        contrat_numero=row.contrat_numero,
        depose_le=depose_le(row),
        auteur=Acteur.model_validate(row.auteur),
    )


def nom_de_telechargement(row: PieceRow) -> str:
    """The name as sent, with the extension of what it really is."""
    format_ = regles.formats().get(row.type_mime)
    extension = format_.extension if format_ is not None else "bin"
    base = row.nom_fichier.rsplit(".", 1)[0] if "." in row.nom_fichier else row.nom_fichier
    return f"{base or 'document'}.{extension}"
