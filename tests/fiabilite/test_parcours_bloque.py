"""Issue 25's safety net: a parcours whose history the code can no longer replay is found in
Temporal, shown to the coordination as « parcours bloqué techniquement », and repaired by the
operator's command (`python -m ops.reparer`): reset before the first task not replayed, the
commands received after it sent again with their Update id and the version their author saw.

A faulty worker (`tests/fiabilite/worker_defectueux.py`) writes the tasks the real code cannot
replay; the search for the repair point is also run on the history the SDK defect left
(`histoires/defaut-sdk/`)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections import Counter

import pytest
from temporalio.client import WorkflowHistory

from core.ids import parcours_workflow_id
from ops.parcours_bloques import Blocage, reperer, surveiller
from ops.reparer import diagnostiquer
from schemas.incident import TypeOperation
from schemas.parcours import ParcoursState
from tests.fiabilite.parcours import (
    COORD,
    JUSQU_A_LA_SORTIE,
    KARIM,
    Personne,
    au_repos,
    effets,
    ouvrir,
    suivre,
)
from tests.fiabilite.systeme import PRET, Processus, Systeme, attendre
from tests.fiabilite.test_rejeu import DEFAUT_SDK, DEFAUT_SDK_ID, _replayer

pytestmark = pytest.mark.fiabilite


async def test_point_de_reprise_de_l_historique_laisse_par_le_defaut_du_sdk() -> None:
    histoire = WorkflowHistory.from_json(DEFAUT_SDK_ID, DEFAUT_SDK.read_text())
    d = await diagnostiquer(histoire, _replayer())
    assert not d.rejoue
    assert "Update machine does not handle this event" in d.erreur
    # the task completed at 198 cancelled timer 13 (199), then accepted the sortie (201)
    assert d.point == 198
    assert [(c.evenement, c.nom) for c in d.commandes] == [(201, "prononcer_sortie")]
    assert d.signaux == ["contrat_evolue", "pmsmp_evolue"]  # reapplied by Temporal


@pytest.mark.parametrize(
    ("fichier", "workflow_id", "erreur", "point", "sortie"),
    [
        (
            "lecture-pendant-panne-1.json",
            "parcours-5b516fe2-65f2-4c2c-8c1c-b59f19074c8a",
            "No command scheduled for event HistoryEvent(id: 123, ActivityTaskScheduled)",
            122,
            164,
        ),
        (
            "lecture-pendant-panne-2.json",
            "parcours-ea42c0c2-97bb-4542-a52b-738e1a69a39b",
            "UpsertWorkflowSearchAttributesMachine does not handle HistoryEvent(id: 133",
            131,
            151,
        ),
    ],
)
async def test_point_de_reprise_des_historiques_laisses_par_une_lecture_pendant_la_panne(
    fichier: str, workflow_id: str, erreur: str, point: int, sortie: int
) -> None:
    """The two histories of 2 and 3 December 2026 (docs/reliability.md, « La cause : une
    lecture pendant la panne »): the repair finds where to resume and what to send again."""
    histoire = WorkflowHistory.from_json(workflow_id, (DEFAUT_SDK.parent / fichier).read_text())
    d = await diagnostiquer(histoire, _replayer())
    assert not d.rejoue
    assert erreur in d.erreur
    assert d.point == point
    assert [(c.evenement, c.nom) for c in d.commandes] == [(sortie, "prononcer_sortie")]


async def _worker_defectueux(s: Systeme) -> Processus:
    p = Processus(
        "worker-defectueux",
        [sys.executable, "-m", "tests.fiabilite.worker_defectueux"],
        s.worker.env,
        s.dossier / "worker-defectueux.log",
    )
    p.demarrer()

    async def pret() -> bool:
        assert p.vivant, f"le worker défectueux s'est arrêté : voir {p.journal}"
        return PRET in p.texte()

    await attendre(pret, f"worker défectueux prêt ({p.journal})", 90, 0.2)
    return p


def cles_ft(st: ParcoursState) -> list[str]:
    return [o.id for o in st.operations if o.type == TypeOperation.NOTIFIER_ORIENTATION]


async def _incidents(s: Systeme) -> str:
    async with s.http(COORD) as coord:
        reponse = await coord.get("/coordination/fragments/incidents")
    assert reponse.status_code == 200, reponse.text
    return reponse.text


async def test_parcours_bloque_repere_montre_puis_repare(systeme: Systeme) -> None:
    s = systeme
    async with s.http(KARIM) as karim:
        pid = await ouvrir(karim, Personne.nouvelle())
        await suivre(karim, pid, JUSQU_A_LA_SORTIE[:1])
    await au_repos(s, pid)

    s.worker.tuer()  # a faulty deployment takes the next command
    defectueux = await _worker_defectueux(s)
    try:
        async with s.http(KARIM) as karim:
            await suivre(karim, pid, JUSQU_A_LA_SORTIE[1:2])  # decider_orientation
        avant = await au_repos(s, pid)
    finally:
        defectueux.tuer()
    await s.demarrer_worker()  # the real code: it cannot replay what the faulty one wrote
    handle = s.temporal_client.get_workflow_handle(parcours_workflow_id(pid))
    await handle.signal("reverifier")  # what the daily vigie sends: a task, which fails

    async def bloque() -> list[Blocage]:
        return [b for b in await reperer(s.temporal_client) if b.parcours_id == pid]

    blocages = await attendre(bloque, f"parcours {pid} repéré bloqué ({s.journaux()})", 180, 2)
    assert "Nondeterminism" in blocages[0].message
    assert await surveiller(s.temporal_client, s.sessions) >= 1  # what the schedule runs
    await s.temporal_client.get_schedule_handle("surveillance-technique").describe()
    page = await _incidents(s)
    assert "Parcours bloqués techniquement" in page
    assert f"python -m ops.reparer {pid}" in page

    reparation = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "ops.reparer", pid],
        env=s.worker.env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert reparation.returncode == 0, reparation.stderr[-2000:]
    sortie = reparation.stdout
    assert "decider_orientation" in sortie, sortie
    assert "appliquée" in sortie, sortie
    print(f"\n[fiabilité] réparation :\n{sortie}")

    st = await au_repos(s, pid)  # it replays and answers again
    lignes = Counter(e.code for e in st.timeline)
    assert lignes["diagnostic"] == 1
    assert lignes["orientation_decidee"] == 1  # the command sent again, applied once
    # France Travail was notified by the faulty run; the new run decided the call again under
    # the same key (the parcours' counter, not the run's seed): one effect, none unknown.
    assert cles_ft(st) == cles_ft(avant) != []
    bilan = effets(s, [st])
    assert bilan.inconnus == []
    assert bilan.doublons == bilan.perdus == 0
    assert bilan.appels > bilan.distincts  # the call came twice; the key absorbed it

    async def debloque() -> bool:
        return pid not in {b.parcours_id for b in await reperer(s.temporal_client)}

    await attendre(debloque, f"parcours {pid} débloqué", 60, 2)
    await surveiller(s.temporal_client, s.sessions)
    assert f"python -m ops.reparer {pid}" not in await _incidents(s)
