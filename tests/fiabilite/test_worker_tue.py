"""Fault 1: the worker is SIGKILLed again and again while parcours receive their commands and
call the partners. Restarted, it takes every parcours to its end, and each side effect was
received exactly once by the partners (same idempotency key on every retry)."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.worker import Replayer

from core.settings import DEV_CODEC_KEY
from core.temporal import data_converter
from schemas.parcours import ParcoursState, Phase
from tests.fiabilite.parcours import (
    JUSQU_A_LA_SORTIE,
    KARIM,
    Obstination,
    Personne,
    effets,
    ouvrir,
    suivre_malgre_tout,
    termine,
)
from tests.fiabilite.systeme import Systeme
from worker import SANDBOX
from workflows.registre import WORKFLOWS

pytestmark = pytest.mark.fiabilite

PARCOURS = 6
MORTS = 3
# Partners answer in 4 s, and the worker dies 1 s after a command that calls one: the call is
# in flight. The partner carries it out; the worker never hears of it; the retry (after the
# activity's 30 s timeout) sends the same idempotency key, and the partner only answers again.
LENTS = ("france-travail", "caf", "immersion", "sms")
# (« valider_pmsmp » no longer calls anyone: ticket 20, the convention lives on Immersion Facilitée)
APPELANTES = frozenset({"decider_orientation", "envoyer_lien_carnet"})
# One line each in the timeline: a command applied twice, or lost, shows here.
UNE_FOIS = (
    "accueil",
    "diagnostic",
    "orientation_decidee",
    "contrat_redige",
    "contrat_signe",
    "lien_carnet",
    "pmsmp_prescrite",
    "pmsmp_validee",
    "sortie",
)


async def _tueur(
    s: Systeme, appel_lance: asyncio.Event, commande: asyncio.Event, fini: asyncio.Event
) -> int:
    """Kill the worker 1 s after a command that calls a partner, restart it a second later;
    stop early if every parcours is through its commands (a fast run leaves no call to hit).
    After the first death, any command will do: on a loaded machine the six parcours can all
    pass their calling commands while the first worker is down, and the retried calls are
    still in flight then."""
    for mort in range(MORTS):
        declencheurs = (appel_lance,) if mort == 0 else (appel_lance, commande)
        for e in declencheurs:
            e.clear()
        attentes = [asyncio.create_task(e.wait()) for e in (*declencheurs, fini)]
        await asyncio.wait(attentes, timeout=120, return_when=asyncio.FIRST_COMPLETED)
        for attente in attentes:
            attente.cancel()
        if not any(e.is_set() for e in declencheurs):
            return mort
        await asyncio.sleep(1)
        s.worker.tuer()
        await asyncio.sleep(1)
        await s.demarrer_worker()
        await asyncio.sleep(2)
    return MORTS


async def _non_rejouables(
    s: Systeme, etats: list[ParcoursState], annulees: list[str]
) -> dict[str, str]:
    replayer = Replayer(
        workflows=WORKFLOWS, data_converter=data_converter(DEV_CODEC_KEY), workflow_runner=SANDBOX
    )
    ids = [f"parcours-{st.parcours_id}" for st in etats]
    for st in etats:
        enfants: list[str | None] = [c.workflow_id for c in st.contrats_passes]
        enfants += [p.workflow_id for p in st.pmsmp]
        enfants += [e.workflow_id for e in (st.contrat, st.emploi, *st.emplois_passes) if e]
        ids += [i for i in enfants if i]
    echecs = {}
    for workflow_id in ids:
        async for execution in s.temporal_client.list_workflows(f"WorkflowId = '{workflow_id}'"):
            histoire = await s.temporal_client.get_workflow_handle(
                workflow_id, run_id=execution.run_id
            ).fetch_history()
            r = await replayer.replay_workflow(histoire, raise_on_replay_failure=False)
            annulees += [
                f"{workflow_id}/{ev.event_id}"
                for ev in histoire.events
                if ev.event_type == EventType.EVENT_TYPE_TIMER_CANCELED
            ]
            if r.replay_failure is not None:
                echecs[f"{workflow_id}/{execution.run_id}"] = str(r.replay_failure)[:300]
    return echecs


async def test_worker_tue_pendant_commandes_et_appels(systeme: Systeme) -> None:
    s = systeme
    for partenaire in LENTS:
        await s.simulateur.mode(partenaire, "lent", delai_s=4)
    personnes = [Personne.nouvelle() for _ in range(PARCOURS)]
    appel_lance, commande, o = asyncio.Event(), asyncio.Event(), Obstination()

    def apres(nom: str) -> None:
        commande.set()
        if nom in APPELANTES:
            appel_lance.set()

    async with s.http(KARIM) as http:
        pids = await asyncio.gather(*(ouvrir(http, p) for p in personnes))
        fini = asyncio.Event()
        tueur = asyncio.create_task(_tueur(s, appel_lance, commande, fini))
        await asyncio.gather(
            *(suivre_malgre_tout(http, pid, JUSQU_A_LA_SORTIE, o, apres=apres) for pid in pids)
        )
        fini.set()
        morts = await asyncio.wait_for(tueur, timeout=180)
    assert morts >= 2, f"{morts} SIGKILL seulement : le test n'a presque rien éprouvé"
    etats = await asyncio.gather(*(termine(s, pid, delai_s=240) for pid in pids))

    for st in etats:
        assert st.phase == Phase.SORTIE
        lignes = Counter(e.code for e in st.timeline)
        assert {code: lignes[code] for code in UNE_FOIS} == dict.fromkeys(UNE_FOIS, 1)
    bilan = effets(s, etats)
    assert bilan.operations == PARCOURS * 4  # CAF, France Travail, SMS, courriel
    assert bilan.non_reussies == []
    assert bilan.inconnus == []  # no side effect under another key than its operation's
    assert bilan.par_operation == dict.fromkeys(bilan.par_operation, 1)
    assert bilan.perdus == bilan.doublons == 0
    repetes = bilan.appels - bilan.distincts
    assert repetes >= 1, "aucun appel interrompu : les SIGKILL n'ont rien éprouvé"
    # What a cache hides: each history, read from scratch by another worker, replays.
    annulees: list[str] = []
    assert await _non_rejouables(s, etats, annulees) == {}
    # Issue 25: the code never cancels a timer, the order the SDK could not replay.
    assert annulees == []
    # the measurements of docs/reliability.md
    print(
        f"\n[fiabilité] worker : {PARCOURS} parcours, {len(JUSQU_A_LA_SORTIE) * PARCOURS} "
        f"commandes, {morts} SIGKILL, {o.indisponible} réponses 503, {o.deja_fait} commandes "
        f"déjà faites au renvoi, {o.relectures} relectures ; {bilan.operations} appels aux partenaires, "
        f"{bilan.distincts} effets reçus, {repetes} appels répétés absorbés par la clé "
        f"d'idempotence ; {bilan.perdus} perdu, {bilan.doublons} doublon"
    )
