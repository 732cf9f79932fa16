"""Two people take the last free slot at the same moment: one gets it, the other is told in
French and offered the next slots. Both passed the courtesy check before writing: what
decides is the database's key on the quarters of an hour (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, time, timedelta

import pytest
import pytest_asyncio

from activities.retention import _rendez_vous
from agendas import reservations, service
from agendas.service import Proprietaire
from core.clock import PARIS, local_day
from rules.calendrier import jours_feries_france
from schemas.agenda import Creneau, JourSemaine, PlageSaisie
from schemas.rdv import ModeRdv
from store.db import SessionFactory, ecriture, make_engine, session_factory

CLAIRE = Proprietaire("ref-claire-martin", None, "conseil_departemental", "bassin_annecien")


@pytest_asyncio.fixture
async def sessions(lecture_du_test: str) -> AsyncIterator[SessionFactory]:
    engine = make_engine(lecture_du_test)
    yield session_factory(engine)
    await engine.dispose()


def _jour_ouvre(depuis: date) -> date:
    """A weekday that is not a public holiday (no slot is ever offered on one)."""
    feries = jours_feries_france([depuis.year, depuis.year + 1])
    jour = depuis
    while jour.weekday() >= 5 or jour in feries:
        jour += timedelta(days=1)
    return jour


async def _ouvrir(sessions: SessionFactory, jour: date, debut: time, fin: time) -> None:
    """Claire receives by phone that one day, for accompaniment (30 minutes)."""
    saisie = PlageSaisie(
        jour=JourSemaine(str(jour.weekday())),
        debut=debut,
        fin=fin,
        modalite=ModeRdv.TELEPHONE,
        motifs=["accompagnement"],
        du=jour,
        au=jour,
    )
    async with sessions() as session:
        await service.ouvrir_plage(session, CLAIRE, saisie)


async def _une_seule_place(sessions: SessionFactory) -> Creneau:
    """Claire opens one 30-minute slot by phone, next week."""
    jour = _jour_ouvre(date.today() + timedelta(days=7))
    await _ouvrir(sessions, jour, time(9), time(10))
    async with sessions() as session:
        libres = await service.creneaux(session, [CLAIRE.compte_id], "accompagnement", jour, jour)
    assert len(libres) == 2
    async with sessions() as session:  # someone already has 9:00
        await reservations.reserver(session, libres[0], "parcours-deja-la")
    return libres[1]


async def test_deux_personnes_sur_la_derniere_place(
    sessions: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    derniere = await _une_seule_place(sessions)
    # Both see the slot free before either writes: the check cannot save us, the key must.
    tous_verifies = asyncio.Barrier(2)
    verifier = reservations._encore_offert

    async def verifier_ensemble(*args: object) -> bool:
        libre = await verifier(*args)  # type: ignore[arg-type]
        await asyncio.wait_for(tous_verifies.wait(), timeout=60)
        return libre

    monkeypatch.setattr(reservations, "_encore_offert", verifier_ensemble)

    async def reserver(qui: str) -> str:
        async with sessions() as session:
            try:
                await reservations.reserver(session, derniere, qui)
            except reservations.CreneauIndisponible as refus:
                return f"refus:{refus}:{len(refus.suivants)}"
            return "ok"

    issues = await asyncio.gather(reserver("parcours-a"), reserver("parcours-b"))
    assert sorted(issues) == ["ok", "refus:Ce créneau vient d'être pris par quelqu'un d'autre.:0"]

    async with sessions() as session:
        pris = await reservations.reservations(
            session, CLAIRE.compte_id, derniere.debut - timedelta(hours=2)
        )
        assert [r.debut for r in pris if r.debut == derniere.debut] != []
        assert len(pris) == 2  # 9:00 and 9:30, once each
        jour = local_day(derniere.debut)
        assert (
            await service.creneaux(session, [CLAIRE.compte_id], "accompagnement", jour, jour) == []
        )


async def test_le_refuse_recoit_les_creneaux_suivants(sessions: SessionFactory) -> None:
    derniere = await _une_seule_place(sessions)
    # A second plage the week after: the next slots offered to whoever lost the race.
    jour = _jour_ouvre(local_day(derniere.debut) + timedelta(days=7))
    await _ouvrir(sessions, jour, time(14), time(15))
    async with sessions() as session:
        await reservations.reserver(session, derniere, "parcours-a")
    async with sessions() as session:
        with pytest.raises(reservations.CreneauIndisponible) as refus:
            await reservations.reserver(session, derniere, "parcours-b")
    assert str(refus.value) == "Ce créneau vient d'être pris par quelqu'un d'autre."
    assert [f"{c.debut.astimezone(PARIS):%H:%M}" for c in refus.value.suivants] == [
        "14:00",
        "14:30",
    ]


async def test_une_annulation_rend_le_creneau(sessions: SessionFactory) -> None:
    derniere = await _une_seule_place(sessions)
    async with sessions() as session:
        prise = await reservations.reserver(session, derniere, "parcours-a")
    async with sessions() as session:
        assert await reservations.annuler(session, prise.id) is not None
        assert await reservations.annuler(session, prise.id) is None  # once only
    async with sessions() as session:
        await reservations.reserver(session, derniere, "parcours-b")


async def test_l_anonymisation_efface_les_rendez_vous_de_la_personne(
    sessions: SessionFactory,
) -> None:
    """docs/donnees-personnelles.md: who is received when goes with the person."""
    derniere = await _une_seule_place(sessions)
    async with sessions() as session:
        await reservations.reserver(session, derniere, "parcours-a")
    async with sessions() as session:
        await ecriture(session)
        await _rendez_vous(session, "parcours-a")
        await session.commit()
    async with sessions() as session:
        restants = await reservations.reservations(
            session, CLAIRE.compte_id, derniere.debut - timedelta(hours=2)
        )
        assert [r.parcours_id for r in restants] == ["parcours-deja-la"]
        await reservations.reserver(session, derniere, "parcours-b")  # the slot is free again
