"""Two event loops of one process write the audit log at once — the web app and a worker in
one process, as the tests' platform runs them, both writing since imports are audited: no
error, and the chain stays whole (the full run of 3 December 2026 failed 8 tests on
« Lock … is bound to a different event loop »)."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from services.audit import journaliser, verifier_chaine
from store.db import create_schema, make_engine, session_factory

ECRIVAINS, ENTREES = 3, 15


def test_deux_boucles_d_un_meme_processus_ecrivent_le_journal(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'journal.db'}"

    async def preparer() -> None:
        engine = make_engine(url)
        await create_schema(engine)
        await engine.dispose()

    asyncio.run(preparer())
    erreurs: list[str] = []
    depart = threading.Barrier(ECRIVAINS)

    def ecrire(n: int) -> None:
        async def boucle() -> None:
            engine = make_engine(url)
            try:
                sessions = session_factory(engine)
                depart.wait()
                for i in range(ENTREES):
                    async with sessions() as session:
                        await journaliser(session, None, "lecture", f"parcours:{n}-{i}")
            finally:
                await engine.dispose()

        try:
            asyncio.run(boucle())
        except Exception as err:  # what the test reports
            erreurs.append(repr(err))

    fils = [threading.Thread(target=ecrire, args=(n,)) for n in range(ECRIVAINS)]
    for f in fils:
        f.start()
    for f in fils:
        f.join(120)
    assert erreurs == []

    async def verifier() -> None:
        engine = make_engine(url)
        try:
            async with session_factory(engine)() as session:
                etat = await verifier_chaine(session)
        finally:
            await engine.dispose()
        assert etat.intact, etat.probleme
        assert etat.entrees == ECRIVAINS * ENTREES

    asyncio.run(verifier())
