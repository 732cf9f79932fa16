"""The read model is written idempotently, in order, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlmodel import select

from schemas.parcours import Categorie, EvenementTimeline, ParcoursState, PassagePhase, Phase
from schemas.projection import Projection
from schemas.vigie import Alerte, Severite
from store.db import SessionFactory, create_schema, make_engine, session_factory
from store.parcours import AlerteRow, EvenementRow, IdentifiantRow, ParcoursRow
from store.projection import ecrire
from tests.factories import CLAIRE, accueil_rsa

JOUR = date(2026, 10, 1)


def etat(version: int, phase: Phase = Phase.ACCUEIL, alertes: int = 0) -> ParcoursState:
    a = accueil_rsa(JOUR, caf="1234567")
    return ParcoursState(
        parcours_id="p-1",
        version=version,
        ouvert_le=JOUR,
        accueil=a,
        usager=a.usager,
        territoire=a.territoire,
        identifiants=a.identifiants,
        consentement=a.consentement,
        phase=phase,
        phases=[PassagePhase(phase=phase, du=JOUR)],
        alertes=[
            Alerte(
                code="silence_alerte",
                cle="silence",
                libelle="Aucun contact",
                severite=Severite.ALERTE,
                depuis=JOUR,
            )
        ]
        * alertes,
    )


def evenement(seq: int) -> EvenementTimeline:
    return EvenementTimeline(
        seq=seq,
        enregistre_le=datetime(2026, 10, 1, tzinfo=UTC),
        le=JOUR,
        categorie=Categorie.ACCUEIL,
        code="accueil",
        libelle=f"Ligne {seq}",
        auteur=CLAIRE,
    )


@pytest_asyncio.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def sessions(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[SessionFactory]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'l.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    await create_schema(engine)
    if request.param == "postgres":  # a shared server: each test starts from an empty read model
        async with engine.begin() as conn:
            await conn.execute(text("TRUNCATE parcours CASCADE"))
    yield session_factory(engine)
    await engine.dispose()


async def projeter(sessions: SessionFactory, p: Projection) -> bool:
    async with sessions() as session:
        written = await ecrire(session, p)
        await session.commit()
    return written


async def test_une_ecriture_rejouee_ne_change_rien(sessions: SessionFactory) -> None:
    p = Projection(etat=etat(3, alertes=1), evenements=[evenement(1), evenement(2)])
    assert await projeter(sessions, p) is True
    assert await projeter(sessions, p) is False  # same version again: ignored
    async with sessions() as session:
        assert len((await session.exec(select(EvenementRow))).all()) == 2
        assert len((await session.exec(select(AlerteRow))).all()) == 1
        assert [r.cle for r in (await session.exec(select(IdentifiantRow))).all()] == ["caf"]


async def test_une_ecriture_en_retard_ne_remplace_pas_un_etat_plus_recent(
    sessions: SessionFactory,
) -> None:
    await projeter(sessions, Projection(etat=etat(5, Phase.DIAGNOSTIC), evenements=[evenement(1)]))
    late = Projection(etat=etat(4, Phase.ACCUEIL, alertes=1), evenements=[evenement(2)])
    assert await projeter(sessions, late) is False
    async with sessions() as session:
        row = await session.get(ParcoursRow, "p-1")
        assert row is not None
        assert row.phase == "diagnostic"
        assert row.version == 5
        assert (await session.exec(select(AlerteRow))).all() == []
        # timeline lines are keyed by their number: the late write's new line is still kept
        assert sorted(e.seq for e in (await session.exec(select(EvenementRow))).all()) == [1, 2]
