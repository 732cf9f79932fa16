"""Rows for the employers' service tests: a parcours in the read model, a company of the
directory, written straight to the database (no Temporal needed)."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from employeurs import annuaire
from schemas.employeur import EntrepriseSaisie
from store.db import ecriture
from store.parcours import ParcoursRow
from tests.administration.outils import un_siret


async def un_parcours(
    session: AsyncSession,
    territoire: str = "bassin_annecien",
    referent_id: str = "ref-claire-martin",
    clos_le: date | None = None,
) -> ParcoursRow:
    jour = date(2026, 1, 5)
    row = ParcoursRow(
        id=f"p-{secrets.token_hex(6)}",
        version=1,
        reference=f"P-{secrets.token_hex(4).upper()}",
        nom=f"Nom{secrets.token_hex(3).upper()}",
        prenom="Léa",
        date_naissance=date(1990, 5, 4),
        commune="Annecy",
        territoire=territoire,
        referent_id=referent_id,
        phase="sortie" if clos_le else "diagnostic",
        phase_depuis=jour,
        statut="clos" if clos_le else "en_cours",
        derniere_interaction=jour,
        ouvert_le=jour,
        clos_le=clos_le,
        mis_a_jour=datetime.now(UTC),
        etat={},
    )
    await ecriture(session)
    session.add(row)
    await session.commit()
    return row


async def une_entreprise(session: AsyncSession, code_postal: str = "74000") -> str:
    siret = un_siret()
    saisie = EntrepriseSaisie(siret=siret, nom=f"Entreprise {siret[-4:]}", code_postal=code_postal)
    await annuaire.enregistrer(session, saisie)
    return siret
