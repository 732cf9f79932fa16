"""The dispatcher's passes against a Temporal that fails on cue (a stand-in client): what a
failed signal leaves behind, and the order each parcours receives its events in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from sqlmodel import select
from temporalio.service import RPCError, RPCStatusCode

from partenaires import livraison
from partenaires.livraison import (
    LOT,
    LOT_MAX,
    PAR_SIGNAL,
    SIGNAUX_SIMULTANES,
    Passage,
    arriere,
    repartir,
    repartir_sans_fin,
)
from schemas.evenements import EvenementPartenaire
from services.parcours_client import ParcoursClient
from store.db import SessionFactory, create_schema, make_engine, session_factory
from store.evenements_partenaires import EvenementRecu, StatutReception

DEBUT = datetime(2026, 12, 2, 9, tzinfo=UTC)


class TemporalDeTest(ParcoursClient):
    """Records each signal; fails the parcours named in ``pannes`` (once each)."""

    def __init__(self) -> None:  # no Temporal behind it
        self.signaux: list[tuple[str, list[str]]] = []
        self.pannes: dict[str, RPCStatusCode] = {}

    async def signaler_evenements(
        self, parcours_id: str, evenements: list[EvenementPartenaire]
    ) -> None:
        if (statut := self.pannes.pop(parcours_id, None)) is not None:
            raise RPCError("panne provoquée", statut, b"")
        self.signaux.append((parcours_id, [e.id for e in evenements]))


@pytest_asyncio.fixture
async def sessions(tmp_path: Path) -> AsyncIterator[SessionFactory]:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'lecture.db'}")
    await create_schema(engine)
    yield session_factory(engine)
    await engine.dispose()


ROMPU, SIGNE = "fr.employeur.contrat.rompu", "fr.employeur.contrat.signe"


async def _stocker(
    sessions: SessionFactory, arrivees: list[tuple[str, str]], depuis: int = 0, type_: str = ROMPU
) -> None:
    """(event id, parcours id) in their order of arrival, a second apart from ``depuis``."""
    async with sessions() as session:
        for n, (id_, pid) in enumerate(arrivees):
            session.add(
                EvenementRecu(
                    partenaire="employeur",
                    id=id_,
                    type=type_,
                    source="urn:spie74:partner:employeur",
                    sujet="73282932000074:M-1",
                    survenu_le=DEBUT,
                    recu_le=DEBUT + timedelta(seconds=depuis + n),
                    data={"date": "2026-12-01", "motif": "fin"},
                    statut=StatutReception.A_LIVRER.value,
                    parcours_id=pid,
                )
            )
        await session.commit()


async def _statuts(sessions: SessionFactory) -> dict[str, str]:
    async with sessions() as session:
        return {r.id: r.statut for r in (await session.exec(select(EvenementRecu))).all()}


async def test_un_signal_par_parcours_dans_l_ordre_d_arrivee(sessions: SessionFactory) -> None:
    await _stocker(sessions, [("a1", "A"), ("b1", "B"), ("a2", "A"), ("b2", "B"), ("a3", "A")])
    temporal = TemporalDeTest()
    passage = await repartir(sessions, temporal)
    assert sorted(temporal.signaux) == [("A", ["a1", "a2", "a3"]), ("B", ["b1", "b2"])]
    assert (passage.lus, passage.livres, passage.interrompu) == (5, 5, False)
    assert set((await _statuts(sessions)).values()) == {"livre"}
    assert (await repartir(sessions, temporal)).lus == 0  # nothing delivered twice


async def test_panne_d_un_parcours_garde_son_ordre(sessions: SessionFactory) -> None:
    await _stocker(sessions, [("a1", "A"), ("b1", "B"), ("a2", "A")])
    temporal = TemporalDeTest()
    temporal.pannes["A"] = RPCStatusCode.UNAVAILABLE
    passage = await repartir(sessions, temporal)
    assert passage.interrompu
    assert temporal.signaux == [("B", ["b1"])]
    assert await _statuts(sessions) == {"a1": "a_livrer", "b1": "livre", "a2": "a_livrer"}
    async with sessions() as session:
        en_attente = await arriere(session)
    assert en_attente.taille == 2
    assert en_attente.plus_ancien == DEBUT  # a1, the oldest still waiting

    await _stocker(sessions, [("a3", "A")], depuis=10)  # arrives meanwhile
    temporal.signaux.clear()
    await repartir(sessions, temporal)
    assert temporal.signaux == [("A", ["a1", "a2", "a3"])]  # the failed ones first, in order


async def test_parcours_termine_a_rapprocher(sessions: SessionFactory) -> None:
    await _stocker(sessions, [("a1", "A"), ("a2", "A")])
    temporal = TemporalDeTest()
    temporal.pannes["A"] = RPCStatusCode.NOT_FOUND
    passage = await repartir(sessions, temporal)
    assert (passage.a_rapprocher, passage.interrompu) == (2, False)
    assert await _statuts(sessions) == {"a1": "a_rapprocher", "a2": "a_rapprocher"}


async def test_gros_arriere_en_plusieurs_signaux(sessions: SessionFactory) -> None:
    n = PAR_SIGNAL * 2 + 3
    await _stocker(sessions, [(f"e{i:04d}", "A") for i in range(n)])
    temporal = TemporalDeTest()
    await repartir(sessions, temporal)
    assert [len(ids) for _, ids in temporal.signaux] == [PAR_SIGNAL, PAR_SIGNAL, 3]
    assert [i for _, ids in temporal.signaux for i in ids] == [f"e{i:04d}" for i in range(n)]


async def test_rupture_servie_avant_l_arriere_des_autres(sessions: SessionFactory) -> None:
    """A nightly file of ordinary events for other parcours is waiting; a rupture arrives
    for A, after one ordinary event of A: the next pass delivers A first, its two events in
    their order, before the older backlog of the others."""
    await _stocker(sessions, [(f"x{i}", f"P{i}") for i in range(6)], type_=SIGNE)
    await _stocker(sessions, [("a1", "A")], depuis=10, type_=SIGNE)
    await _stocker(sessions, [("a2", "A")], depuis=11, type_=ROMPU)  # a rupture
    temporal = TemporalDeTest()
    await repartir(sessions, temporal, lot=3)
    assert temporal.signaux[0] == ("A", ["a1", "a2"])
    assert [pid for pid, _ in temporal.signaux[1:]] == ["P0", "P1", "P2"]  # then the oldest


class RuptureEnCoursDePasse(TemporalDeTest):
    """A radiation for A is stored while the pass signals its first parcours."""

    def __init__(self, sessions: SessionFactory) -> None:
        super().__init__()
        self.sessions = sessions

    async def signaler_evenements(
        self, parcours_id: str, evenements: list[EvenementPartenaire]
    ) -> None:
        if not self.signaux:
            self.signaux.append(("…", []))  # only once, even with the slice's others
            await _stocker(self.sessions, [("a1", "A")], depuis=1000, type_=ROMPU)
        await super().signaler_evenements(parcours_id, evenements)


async def test_rupture_arrivee_pendant_une_passe_servie_avant_la_fin_de_la_rafale(
    sessions: SessionFactory,
) -> None:
    """A burst's pass is signalling three slices of parcours when a rupture for A is stored:
    the pass ends after the slice under way, and the next serves A before the rest of the
    burst; every event is still delivered, once."""
    n = 3 * SIGNAUX_SIMULTANES
    await _stocker(sessions, [(f"x{i}", f"P{i}") for i in range(n)], type_=SIGNE)
    temporal = RuptureEnCoursDePasse(sessions)

    premiere = await repartir(sessions, temporal, lot=1000)
    assert premiere.livres == SIGNAUX_SIMULTANES
    await repartir(sessions, temporal, lot=1000)

    signaux = temporal.signaux[1:]
    assert signaux[SIGNAUX_SIMULTANES] == ("A", ["a1"]), [pid for pid, _ in signaux]
    assert sorted(i for _, ids in signaux for i in ids) == sorted(
        ["a1", *(f"x{i}" for i in range(n))]
    )
    assert set((await _statuts(sessions)).values()) == {StatutReception.LIVRE.value}


async def test_passe_d_une_rupture_courte(sessions: SessionFactory) -> None:
    """While a big backlog is read LOT_MAX at a time, a pass with a rupture waiting reads no
    more than LOT others: its signal does not wait for thousands of rows to be read."""
    await _stocker(sessions, [(f"x{i}", f"P{i % 50}") for i in range(LOT + 50)], type_=SIGNE)
    await _stocker(sessions, [("a1", "A")], depuis=LOT + 50, type_=ROMPU)
    temporal = TemporalDeTest()
    passage = await repartir(sessions, temporal, lot=LOT_MAX)
    assert temporal.signaux[0] == ("A", ["a1"])
    assert passage.lus == LOT + 1


async def test_arriere_lu_par_lots_croissants(
    sessions: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a backlog lasts, each pass reads twice as many events (up to LOT_MAX), so each
    parcours gets more of its events per signal; back to LOT once it is empty."""
    lots: list[int] = []

    async def compter(_: SessionFactory, __: ParcoursClient, lot: int = LOT) -> Passage:
        lots.append(lot)
        lus = lot if len(lots) < 6 else 0
        return Passage(lus=lus, livres=lus)

    monkeypatch.setattr(livraison, "repartir", compter)
    monkeypatch.setattr(livraison, "ATTENTE_S", 0.0)
    await repartir_sans_fin(sessions, TemporalDeTest(), lambda: None, timedelta(seconds=0.5))
    assert lots[:7] == [LOT, 2 * LOT, 4 * LOT, LOT_MAX, LOT_MAX, LOT_MAX, LOT]
