"""A list's rows that led to no parcours (rejected, or in a preview never confirmed) keep the
person's columns for the delay of rules/imports.yaml, then the retention schedule erases them;
a row that opened a parcours stays until that parcours is anonymised (issue 16)."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

import pytest_asyncio
from sqlmodel import select
from temporalio.testing import ActivityEnvironment

from activities.retention import RetentionActivities
from core.settings import DEV_CODEC_KEY
from importation import service
from importation.regles import regles
from pieces.chiffrement import cles_de
from pieces.service import Coffre
from pieces.stockage import FichiersLocaux
from schemas.common import Acteur, Role, Territoire
from schemas.imports import DemandeImport
from schemas.retention import DemandeAnonymisation
from store.db import SessionFactory, make_engine, session_factory
from store.imports import ImportLigneRow, ImportRow
from tests.imports import fichiers

COORD = Acteur(
    id="coord-bassin_annecien",
    nom="Anne",
    role=Role.COORDINATEUR,
    territoire=Territoire.BASSIN_ANNECIEN,
)


@pytest_asyncio.fixture
async def sessions(lecture_du_test: str) -> AsyncIterator[SessionFactory]:
    engine = make_engine(lecture_du_test)  # a read model of its own
    yield session_factory(engine)
    await engine.dispose()


async def _apercu(sessions: SessionFactory, prefixe: str) -> str:
    """Two rows: one to open, one rejected (its e-mail)."""
    lignes = fichiers.personnes(2, prefixe)
    lignes[1][8] = "pas-un-courriel"
    async with sessions() as session:
        imp = await service.preparer(
            session,
            DemandeImport(source="caf", nom_fichier="liste.xlsx", contenu="-"),
            fichiers.xlsx(lignes),
            auteur=COORD,
            territoire=Territoire.BASSIN_ANNECIEN,
            jour=date.today(),
        )
    return imp.id


async def _termine(sessions: SessionFactory, import_id: str) -> None:
    """What the import's workflow leaves: the first row opened, the second rejected."""
    async with sessions() as session:
        imp = await session.get(ImportRow, import_id)
        assert imp is not None
        imp.statut = "termine"
        session.add(imp)
        for ligne in await service.lignes_de(session, import_id):
            ligne.resultat = "ouvert" if ligne.action == "ouvrir" else ligne.action
            session.add(ligne)
        await session.commit()


async def _contenu(sessions: SessionFactory) -> dict[str, str]:
    async with sessions() as session:
        lignes = (await session.exec(select(ImportLigneRow))).all()
    return {f"{ligne.import_id}/{ligne.numero}": repr(ligne.model_dump()) for ligne in lignes}


async def test_lignes_sans_parcours_effacees_apres_le_delai(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    jamais, fait = "Jam" + secrets.token_hex(3), "Fai" + secrets.token_hex(3)
    apercu, confirme = await _apercu(sessions, jamais), await _apercu(sessions, fait)
    await _termine(sessions, confirme)
    coffre = Coffre(FichiersLocaux(tmp_path / "pieces"), cles_de(DEV_CODEC_KEY))
    activites = RetentionActivities(sessions, cast(Any, None), 10**5, coffre)  # no parcours
    delai = regles().conservation_lignes_non_retenues_jours

    async def passage(jours: int) -> dict[str, str]:
        jour = date.today() + timedelta(days=jours)
        await ActivityEnvironment().run(activites.anonymiser, DemandeAnonymisation(jour=jour))
        return await _contenu(sessions)

    avant = await passage(delai - 1)
    assert all(jamais in avant[f"{apercu}/{n}"] for n in (2, 3))  # kept within the delay
    assert fait in avant[f"{confirme}/3"]
    apres = await passage(delai + 1)
    assert all(jamais not in apres[f"{apercu}/{n}"] for n in (2, 3))  # never confirmed
    assert fait not in apres[f"{confirme}/3"]  # rejected
    assert "courriel" not in apres[f"{confirme}/3"]  # nor what was wrong with the cell
    assert fait in apres[f"{confirme}/2"]  # its parcours lives: it goes with it
    async with sessions() as session:
        imp = await session.get(ImportRow, confirme)
        assert imp is not None
        bilan = await service.bilan(session, imp)
        rapport = await service.rapport_csv(session, imp)
    assert (bilan.resultats["ouvert"], bilan.resultats["rejetee"]) == (1, 1)  # counts kept
    assert "effacé à la fin de sa durée de conservation" in rapport
