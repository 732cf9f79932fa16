"""Structures (organismes): listed, read, created and changed by the administration."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from schemas.common import Organisme, Role, Territoire
from services.utilisateur import Utilisateur
from store.comptes import Compte
from store.db import ecriture
from store.structures import Structure
from web.administration.perimetre import (
    exiger_administration,
    journaliser_changement,
    liste,
    refus_champ,
    structure_visible,
)
from web.administration.schemas import StructureSaisie, StructureVue
from web.erreurs import Refus


def _slug(nom: str) -> str:
    ascii_nom = unicodedata.normalize("NFKD", nom).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_nom).strip("-")[:60] or "structure"


def vue_structure(s: Structure) -> StructureVue:
    organisme = Organisme(s.type)
    return StructureVue(
        id=s.id,
        nom=s.nom,
        type=organisme,
        type_libelle=organisme.label,
        siret=s.siret,
        territoires=[Territoire(t) for t in liste(s.territoires)],
        domaines=liste(s.domaines),
        contact_nom=s.contact_nom,
        contact_email=s.contact_email,
        contact_telephone=s.contact_telephone,
    )


async def lister_structures(session: AsyncSession, u: Utilisateur) -> list[StructureVue]:
    exiger_administration(u)
    rows = (await session.exec(select(Structure).order_by(col(Structure.nom)))).all()
    return [vue_structure(s) for s in rows if structure_visible(u, s)]


async def structure(session: AsyncSession, u: Utilisateur, structure_id: str) -> Structure:
    exiger_administration(u)
    s = await session.get(Structure, structure_id)
    if s is None or not structure_visible(u, s):
        raise Refus(404, "Structure introuvable", "structure_inconnue")
    return s


def _valeurs_structure(d: StructureSaisie) -> dict[str, Any]:
    return {
        "nom": d.nom,
        "type": d.type.value,
        "siret": d.siret,
        "territoires": ",".join(t.value for t in d.territoires),
        "domaines": ",".join(d.domaines),
        "contact_nom": d.contact_nom,
        "contact_email": str(d.contact_email) if d.contact_email else None,
        "contact_telephone": d.contact_telephone,
    }


async def _doublon_structure(
    session: AsyncSession, d: StructureSaisie, sauf: str | None = None
) -> None:
    meme_nom = (await session.exec(select(Structure).where(Structure.nom == d.nom))).first()
    if meme_nom is not None and meme_nom.id != sauf:
        raise refus_champ("nom", f"Une structure s'appelle déjà « {d.nom} »", 409)
    if d.siret:
        meme = (await session.exec(select(Structure).where(Structure.siret == d.siret))).first()
        if meme is not None and meme.id != sauf:
            raise refus_champ("siret", f"Ce SIRET est déjà celui de « {meme.nom} »", 409)


async def creer_structure(
    session: AsyncSession, u: Utilisateur, d: StructureSaisie, adresse: str | None = None
) -> StructureVue:
    if u.role != Role.ADMINISTRATEUR:
        raise Refus(403, "Seule l'administration du SPIE crée les structures", "interdit")
    await _doublon_structure(session, d)
    base, n = _slug(d.nom), 1
    sid = base
    while await session.get(Structure, sid) is not None:
        n += 1
        sid = f"{base}-{n}"
    valeurs = _valeurs_structure(d)
    await ecriture(session)
    s = Structure(id=sid, cree_le=datetime.now(UTC), **valeurs)
    session.add(s)
    await session.commit()
    await journaliser_changement(
        session, u, "structure_creee", f"structure:{sid}", None, valeurs, adresse
    )
    return vue_structure(s)


async def modifier_structure(
    session: AsyncSession,
    u: Utilisateur,
    structure_id: str,
    d: StructureSaisie,
    adresse: str | None = None,
) -> StructureVue:
    if u.role != Role.ADMINISTRATEUR:
        raise Refus(403, "Seule l'administration du SPIE modifie les structures", "interdit")
    s = await structure(session, u, structure_id)
    await _doublon_structure(session, d, sauf=s.id)
    avant = _valeurs_structure_row(s)
    apres = _valeurs_structure(d)
    await ecriture(session)
    row = await session.get(Structure, s.id)
    assert row is not None
    for cle, valeur in apres.items():
        setattr(row, cle, valeur)
    comptes = (await session.exec(select(Compte).where(Compte.structure_id == s.id))).all()
    for compte in comptes:  # the accounts act with their structure's type
        compte.organisme = d.type.value
    await session.commit()
    await journaliser_changement(
        session, u, "structure_modifiee", f"structure:{s.id}", avant, apres, adresse
    )
    return vue_structure(row)


def _valeurs_structure_row(s: Structure) -> dict[str, Any]:
    return {k: getattr(s, k) for k in _valeurs_structure_cles()}


def _valeurs_structure_cles() -> Sequence[str]:
    return (
        "nom",
        "type",
        "siret",
        "territoires",
        "domaines",
        "contact_nom",
        "contact_email",
        "contact_telephone",
    )


# --- Accounts: reading ----------------------------------------------------------------
