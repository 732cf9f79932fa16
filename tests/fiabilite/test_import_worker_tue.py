"""Issue 16: the worker is SIGKILLed during the import of a list. Restarted, it finishes the
import: every row opened once, none lost; the same file sent again opens nothing.

The kill lands where a crash costs most: parcours opened, their rows' outcomes not yet written
(the test holds SQLite's write lock, so a batch cannot record what it did), others not opened.
No race with the machine's speed: whatever the batch has reached, it is stuck before writing."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlmodel import col, select
from temporalio.service import RPCError

from core.ids import parcours_workflow_id
from importation.service import parcours_id
from store.parcours import ParcoursRow
from tests.fiabilite.parcours import COORD
from tests.fiabilite.systeme import Systeme, attendre
from tests.imports import fichiers

pytestmark = pytest.mark.fiabilite

N = 24  # two batches (20 and 4), run side by side
AVANT_LA_MORT = 3  # parcours opened when the worker dies


@contextmanager
def ecritures_bloquees(s: Systeme) -> Iterator[None]:
    base = sqlite3.connect(s.dossier / "lecture.db", isolation_level=None, timeout=60)
    try:
        base.execute("BEGIN IMMEDIATE")  # readers go on; every writer waits
        yield
    finally:
        base.execute("ROLLBACK")
        base.close()


async def _existe(s: Systeme, pid: str) -> bool:
    try:
        await s.temporal_client.get_workflow_handle(parcours_workflow_id(pid)).describe()
    except RPCError:
        return False
    return True


async def test_import_fini_apres_un_sigkill_du_worker(systeme: Systeme) -> None:
    s, prefixe = systeme, "Tue" + secrets.token_hex(3).upper()
    corps = fichiers.demande(fichiers.xlsx(fichiers.personnes(N, prefixe)))
    async with s.http(COORD) as http:
        apercu = (await http.post("/api/v1/imports", json=corps)).json()
        assert apercu["actions"]["ouvrir"] == N, apercu
        import_id = apercu["id"]
        pids = [parcours_id(import_id, numero) for numero in range(2, N + 2)]
        assert (await http.post(f"/api/v1/imports/{import_id}/confirmer")).status_code == 202
        with ecritures_bloquees(s):

            async def ouverts() -> int | None:
                n = sum([await _existe(s, pid) for pid in pids[:AVANT_LA_MORT]])
                return n if n == AVANT_LA_MORT else None

            await attendre(ouverts, f"{AVANT_LA_MORT} parcours ouverts par l'import", 60, 0.1)
            s.worker.tuer()
        en_panne = (await http.get(f"/api/v1/imports/{import_id}?lignes=false")).json()
        assert (en_panne["statut"], en_panne["resultats"]["ouvert"]) == ("en_cours", 0)
        await s.demarrer_worker()

        async def termine() -> dict[str, Any] | None:
            etat = (await http.get(f"/api/v1/imports/{import_id}?lignes=false")).json()
            return etat if etat["statut"] == "termine" else None

        fin = await attendre(termine, f"import terminé (voir {s.journaux()})", 120, 0.5)
        assert fin["resultats"]["ouvert"] == N, fin  # no row lost, none failed

        async def projetes() -> set[str] | None:
            async with s.sessions() as session:
                q = select(ParcoursRow.id).where(col(ParcoursRow.nom).istartswith(prefixe))
                ids = set((await session.exec(q)).all())
            return ids if ids >= set(pids) else None

        # the rows' parcours, each once (its id is the row's), and no other of these people
        assert await attendre(projetes, "parcours au modèle de lecture", 60, 0.5) == set(pids)
        encore = (await http.post("/api/v1/imports", json=corps)).json()
    assert (encore["actions"]["ouvrir"], encore["actions"]["deja_connu"]) == (0, N), encore
