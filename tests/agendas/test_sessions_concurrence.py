"""Two référents register two people on the last seat of a collective session at the same
moment: one gets it, the other is told in French and offered the next sessions of the same
motif. Both passed the courtesy check before writing: what decides is the database's key on
the seats (SQLite and PostgreSQL). A person holds one seat per session at most."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
import pytest_asyncio

from activities.retention import _rendez_vous
from agendas import service, sessions
from agendas.service import Proprietaire
from schemas.agenda import LieuSaisi
from schemas.session_collective import SessionSaisie
from store.db import SessionFactory, ecriture, make_engine, session_factory
from store.sessions_collectives import SessionCollectiveRow

CLAIRE = Proprietaire("ref-claire-martin", None, "conseil_departemental", "bassin_annecien")


@pytest_asyncio.fixture
async def base(lecture_du_test: str) -> AsyncIterator[SessionFactory]:
    engine = make_engine(lecture_du_test)
    yield session_factory(engine)
    await engine.dispose()


async def _session(
    base: SessionFactory, capacite: int, dans_jours: int = 7
) -> SessionCollectiveRow:
    """An information session of Claire's, at a place of hers, in ``dans_jours`` days."""
    async with base() as db:
        lieu = await service.creer_lieu(
            db,
            CLAIRE,
            LieuSaisi(
                nom=f"Salle {secrets.token_hex(4)}",
                adresse="1 rue de la Paix",
                code_postal="74000",
                commune="Annecy",
            ),
        )
        debut = datetime.now(UTC).replace(microsecond=0) + timedelta(days=dans_jours)
        saisie = SessionSaisie(
            motif="information_collective",
            titre=f"Information collective {dans_jours}",
            debut=debut,
            fin=debut + timedelta(hours=2),
            lieu_id=lieu.id,
            capacite=capacite,
        )
        return await sessions.creer(db, CLAIRE, "Claire Martin", saisie, date.today())


async def test_deux_inscriptions_sur_la_derniere_place(
    base: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = await _session(base, capacite=2)
    async with base() as db:
        await sessions.inscrire(db, row.id, "parcours-deja-la", CLAIRE.compte_id)
    # Both see a seat free before either writes: the check cannot save us, the key must.
    tous_verifies = asyncio.Barrier(2)
    verifier = sessions._place_libre

    async def verifier_ensemble(*args: object) -> bool:
        libre = await verifier(*args)  # type: ignore[arg-type]
        await asyncio.wait_for(tous_verifies.wait(), timeout=60)
        return libre

    monkeypatch.setattr(sessions, "_place_libre", verifier_ensemble)

    async def inscrire(qui: str) -> str:
        async with base() as db:
            try:
                await sessions.inscrire(db, row.id, qui, CLAIRE.compte_id)
            except sessions.SessionComplete as refus:
                return f"refus:{refus}"
            return "ok"

    issues = await asyncio.gather(inscrire("parcours-a"), inscrire("parcours-b"))
    assert sorted(issues) == ["ok", f"refus:{sessions.COMPLETE}"]
    async with base() as db:
        assert await sessions.places_prises(db, row.id) == 2
        assert len(await sessions.inscriptions(db, row.id)) == 2
        assert (await sessions.vue(db, row)).places_libres == 0


async def test_deux_inscriptions_de_la_meme_personne_en_meme_temps(
    base: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = await _session(base, capacite=5)
    tous_verifies = asyncio.Barrier(2)
    verifier = sessions._place_libre

    async def verifier_ensemble(*args: object) -> bool:
        libre = await verifier(*args)  # type: ignore[arg-type]
        await asyncio.wait_for(tous_verifies.wait(), timeout=60)
        return libre

    monkeypatch.setattr(sessions, "_place_libre", verifier_ensemble)

    async def inscrire() -> str:
        async with base() as db:
            try:
                await sessions.inscrire(db, row.id, "parcours-double", CLAIRE.compte_id)
            except sessions.InscriptionImpossible as refus:
                return f"refus:{refus}"
            return "ok"

    issues = await asyncio.gather(inscrire(), inscrire())
    assert sorted(issues) == ["ok", f"refus:{sessions.DEJA_INSCRITE}"]
    async with base() as db:
        assert await sessions.places_prises(db, row.id) == 1


async def test_le_refuse_recoit_les_sessions_suivantes(base: SessionFactory) -> None:
    pleine = await _session(base, capacite=1, dans_jours=5)
    suivante = await _session(base, capacite=3, dans_jours=12)
    complete_aussi = await _session(base, capacite=1, dans_jours=9)
    async with base() as db:
        await sessions.inscrire(db, pleine.id, "parcours-a", CLAIRE.compte_id)
        await sessions.inscrire(db, complete_aussi.id, "parcours-c", CLAIRE.compte_id)
    async with base() as db:
        with pytest.raises(sessions.SessionComplete) as refus:
            await sessions.inscrire(db, pleine.id, "parcours-b", CLAIRE.compte_id)
    assert str(refus.value) == sessions.PLEINE
    proposees = [s.id for s in refus.value.suivantes]
    assert suivante.id in proposees
    assert pleine.id not in proposees
    assert complete_aussi.id not in proposees


async def test_une_desinscription_rend_la_place(base: SessionFactory) -> None:
    row = await _session(base, capacite=1)
    async with base() as db:
        prise = await sessions.inscrire(db, row.id, "parcours-a", CLAIRE.compte_id)
    async with base() as db:
        assert await sessions.liberer(db, prise.id) is not None
        assert await sessions.liberer(db, prise.id) is None  # once only
    async with base() as db:
        await sessions.inscrire(db, row.id, "parcours-b", CLAIRE.compte_id)
        # the one withdrawn may come back once a seat is free; here none is
        with pytest.raises(sessions.SessionComplete):
            await sessions.inscrire(db, row.id, "parcours-a", CLAIRE.compte_id)


async def test_l_anonymisation_efface_les_inscriptions_de_la_personne(
    base: SessionFactory,
) -> None:
    """docs/donnees-personnelles.md: who came to which session goes with the person."""
    row = await _session(base, capacite=2)
    async with base() as db:
        await sessions.inscrire(db, row.id, "parcours-a", CLAIRE.compte_id)
        await sessions.inscrire(db, row.id, "parcours-b", CLAIRE.compte_id)
    async with base() as db:
        await ecriture(db)
        await _rendez_vous(db, "parcours-a")
        await db.commit()
    async with base() as db:
        restantes = await sessions.inscriptions(db, row.id)
        assert [i.parcours_id for i in restantes] == ["parcours-b"]
        await sessions.inscrire(db, row.id, "parcours-c", CLAIRE.compte_id)  # its seat is free
