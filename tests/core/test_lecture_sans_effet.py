"""The parade against a query that leaves commands behind (core/lecture_sans_effet.py, issue
25): the activations are those a worker trace recorded around the failure of
2026-12-03 (parcours ea42c0c2, « UpsertWorkflowSearchAttributesMachine does not handle
HistoryEvent(id: 133, TimerStarted) »), and their ordinary neighbours."""

from __future__ import annotations

import pytest
import temporalio.bridge.worker
from temporalio import activity
from temporalio.bridge.proto.workflow_activation import WorkflowActivation, WorkflowActivationJob
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from core.lecture_sans_effet import Vigile, proteger
from worker import SANDBOX
from workflows.registre import WORKFLOWS

RUN = "run-ea42c0c2"


def _activation(longueur: int, rejeu: bool, *jobs: str) -> WorkflowActivation:
    act = WorkflowActivation(run_id=RUN, history_length=longueur, is_replaying=rejeu)
    for job in jobs:
        j = WorkflowActivationJob()
        getattr(j, job).SetInParent()
        act.jobs.append(j)
    return act


def _reconstruction(vigile: Vigile, derniere: int, nouvelle: bool) -> None:
    """A run rebuilt from its history: replayed tasks, then the last one."""
    assert not vigile.a_evincer(_activation(3, True, "initialize_workflow"))
    assert not vigile.a_evincer(_activation(110, True, "signal_workflow"))
    assert not vigile.a_evincer(_activation(derniere, not nouvelle, "resolve_activity"))


def test_une_lecture_qui_a_fait_executer_des_evenements_nouveaux_evince_le_workflow() -> None:
    vigile = Vigile()
    _reconstruction(vigile, 122, nouvelle=True)  # event 121 ran, outside any task
    assert vigile.a_evincer(_activation(122, True, "query_workflow"))


def test_une_lecture_apres_une_reconstruction_sans_rien_de_nouveau_n_evince_rien() -> None:
    vigile = Vigile()
    _reconstruction(vigile, 83, nouvelle=False)  # the whole history replayed: nothing kept
    assert not vigile.a_evincer(_activation(83, True, "query_workflow"))


def test_une_lecture_d_un_workflow_deja_en_cache_n_evince_rien() -> None:
    vigile = Vigile()
    _reconstruction(vigile, 122, nouvelle=True)
    assert not vigile.a_evincer(_activation(130, False, "signal_workflow", "resolve_activity"))
    assert not vigile.a_evincer(_activation(140, False, "resolve_activity"))
    assert not vigile.a_evincer(_activation(140, True, "query_workflow"))


def test_la_premiere_lecture_d_un_workflow_qui_commence_n_evince_rien() -> None:
    vigile = Vigile()
    assert not vigile.a_evincer(_activation(3, False, "initialize_workflow", "do_update"))
    assert not vigile.a_evincer(_activation(3, True, "query_workflow"))


def test_une_seule_eviction_par_reconstruction() -> None:
    vigile = Vigile()
    _reconstruction(vigile, 122, nouvelle=True)
    assert vigile.a_evincer(_activation(122, True, "query_workflow"))
    assert not vigile.a_evincer(_activation(122, True, "query_workflow"))
    assert not vigile.a_evincer(_activation(122, False, "remove_from_cache"))
    _reconstruction(vigile, 130, nouvelle=True)  # rebuilt again by the next task
    assert not vigile.a_evincer(_activation(140, False, "resolve_activity"))
    assert not vigile.a_evincer(_activation(140, True, "query_workflow"))


async def test_la_parade_trouve_les_parties_privees_du_sdk(
    temporal_env: WorkflowEnvironment,
) -> None:
    """The parade reaches into temporalio's private parts: an upgrade that moves them must
    fail here, not silently leave the workers unprotected."""
    client = temporal_env.client
    worker = Worker(
        client, task_queue="lecture-sans-effet", workflows=WORKFLOWS, workflow_runner=SANDBOX
    )
    vigile = proteger(worker)
    assert vigile.evictions == 0
    assert callable(getattr(temporalio.bridge.worker.Worker, "request_workflow_eviction", None))
    with pytest.raises(RuntimeError, match="temporalio a changé"):
        proteger(Worker(client, task_queue="sans-workflow", activities=[_rien]))


@activity.defn(name="rien")
async def _rien() -> None:  # an activity, so that a worker without workflows can be built
    return None
