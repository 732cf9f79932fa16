"""Repair a parcours blocked technically (docs/reliability.md, « Réparer un parcours bloqué »).

    python -m ops.reparer <parcours_id>                    # the parcours' own workflow
    python -m ops.reparer <parcours_id> --workflow <id>    # one of its children
    python -m ops.reparer <parcours_id> --essai            # say what would be done, do nothing

1. Reads the workflow's history and replays it with the current code to find the first
   workflow task it cannot replay (a binary search over the history's workflow tasks).
2. Resets the workflow to just before that task (``ResetWorkflowExecution``): Temporal copies
   the history up to there into a new run, which the current code then carries on. The
   server reapplies the **signals** received after that point (partner events: each carries
   its own id, and the workflow applies an event id once; the children's news).
3. Sends again, in their order, the **commands** (Updates) accepted after that point, with
   their original payloads — the author, the data and the version the person saw
   (``version_attendue``) — and their original Update id: each is applied once, or refused
   as it would have been (a version conflict if the parcours moved in between).
4. Lists the partner calls decided after that point: the new run decides them again.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import uuid
from dataclasses import dataclass, field

from temporalio.api.common.v1 import Header, Payloads
from temporalio.api.common.v1 import WorkflowExecution as Execution
from temporalio.api.enums.v1 import (
    EventType,
    ResetReapplyExcludeType,
    UpdateWorkflowExecutionLifecycleStage,
)
from temporalio.api.update.v1 import Input, Meta, Request, WaitPolicy
from temporalio.api.workflowservice.v1 import (
    PollWorkflowExecutionUpdateRequest,
    ResetWorkflowExecutionRequest,
    UpdateWorkflowExecutionRequest,
)
from temporalio.client import Client, WorkflowHistory
from temporalio.exceptions import ApplicationError
from temporalio.runtime import LoggingConfig, Runtime, TelemetryConfig, TelemetryFilter
from temporalio.worker import Replayer

from core import journaux
from core.ids import parcours_workflow_id
from core.settings import get_settings
from core.sortie import terminer
from core.temporal import connect
from schemas.appels import ACTIVITE
from worker import SANDBOX
from workflows.registre import WORKFLOWS

IDENTITE = "ops.reparer"
ACTIVITES_PARTENAIRES = frozenset(ACTIVITE.values())
TERMINE = UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED


@dataclass(frozen=True)
class Commande:
    """An Update accepted after the repair point, as the history kept it."""

    evenement: int
    nom: str
    update_id: str
    args: Payloads
    header: Header


@dataclass
class Diagnostic:
    rejoue: bool
    erreur: str = ""
    point: int | None = None  # the WorkflowTaskCompleted event of the first task not replayed
    commandes: list[Commande] = field(default_factory=list)
    signaux: list[str] = field(default_factory=list)
    appels: list[str] = field(default_factory=list)  # partner calls decided after the point


def _replayer(client: Client) -> Replayer:
    # The replays of a history known not to replay: the SDK core's warnings are noise here.
    calme = LoggingConfig(filter=TelemetryFilter(core_level="ERROR", other_level="ERROR"))
    return Replayer(
        workflows=WORKFLOWS,
        data_converter=client.data_converter,
        workflow_runner=SANDBOX,
        runtime=Runtime(telemetry=TelemetryConfig(logging=calme)),
    )


async def _echec(replayer: Replayer, histoire: WorkflowHistory) -> str | None:
    r = await replayer.replay_workflow(histoire, raise_on_replay_failure=False)
    return None if r.replay_failure is None else str(r.replay_failure)


async def diagnostiquer(histoire: WorkflowHistory, replayer: Replayer) -> Diagnostic:
    """Find the first completed workflow task whose commands the current code does not
    reproduce. A history cut just after a task's start replays every task before it: the
    shortest such prefix that fails ends just after the faulty task."""
    erreur = await _echec(replayer, histoire)
    if erreur is None:
        return Diagnostic(rejoue=True)
    events = histoire.events
    taches = [  # (index of WorkflowTaskStarted, id of its WorkflowTaskCompleted)
        (i, events[i + 1].event_id)
        for i in range(len(events) - 1)
        if events[i].event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED
        and events[i + 1].event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED
    ]

    async def echoue_avant(k: int) -> bool:
        """Do the commands of tasks 0..k-1 fail to replay? (k == len: the whole history)"""
        if k == len(taches):
            return True
        coupe = WorkflowHistory(histoire.workflow_id, events[: taches[k][0] + 1])
        return await _echec(replayer, coupe) is not None

    bas, haut = 1, len(taches)  # echoue_avant(0) is False: no command checked yet
    while bas < haut:
        milieu = (bas + haut) // 2
        if await echoue_avant(milieu):
            haut = milieu
        else:
            bas = milieu + 1
    point = taches[bas - 1][1]
    return _apres(histoire, Diagnostic(rejoue=False, erreur=erreur, point=point))


def _apres(histoire: WorkflowHistory, d: Diagnostic) -> Diagnostic:
    assert d.point is not None
    for ev in histoire.events:
        if ev.event_id <= d.point:
            continue
        if ev.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
            req = ev.workflow_execution_update_accepted_event_attributes.accepted_request
            d.commandes.append(
                Commande(
                    ev.event_id,
                    req.input.name,
                    req.meta.update_id,
                    req.input.args,
                    req.input.header,
                )
            )
        elif ev.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
            d.signaux.append(ev.workflow_execution_signaled_event_attributes.signal_name)
        elif ev.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            nom = ev.activity_task_scheduled_event_attributes.activity_type.name
            if nom in ACTIVITES_PARTENAIRES:
                d.appels.append(nom)
    return d


async def _renvoyer(client: Client, workflow_id: str, run_id: str, c: Commande) -> str:
    """Send one command again to the new run and wait for its outcome."""
    requete = Request(
        meta=Meta(update_id=c.update_id, identity=IDENTITE),
        input=Input(header=c.header, name=c.nom, args=c.args),
    )
    execution = Execution(workflow_id=workflow_id, run_id=run_id)
    reponse = await client.workflow_service.update_workflow_execution(
        UpdateWorkflowExecutionRequest(
            namespace=client.namespace,
            workflow_execution=execution,
            request=requete,
            wait_policy=WaitPolicy(lifecycle_stage=TERMINE),
        )
    )
    issue = reponse.outcome
    while not issue.HasField("success") and not issue.HasField("failure"):
        suite = await client.workflow_service.poll_workflow_execution_update(
            PollWorkflowExecutionUpdateRequest(
                namespace=client.namespace,
                update_ref=reponse.update_ref,
                identity=IDENTITE,
                wait_policy=WaitPolicy(lifecycle_stage=TERMINE),
            )
        )
        issue = suite.outcome
    if issue.HasField("success"):
        return "appliquée"
    erreur = await client.data_converter.decode_failure(issue.failure)
    code = erreur.type if isinstance(erreur, ApplicationError) else type(erreur).__name__
    return f"refusée ({code}) : {erreur}"


@dataclass
class Reparation:
    diagnostic: Diagnostic
    run_id: str | None = None
    issues: list[tuple[Commande, str]] = field(default_factory=list)


async def reparer(client: Client, workflow_id: str, *, essai: bool = False) -> Reparation:
    handle = client.get_workflow_handle(workflow_id)
    histoire = await handle.fetch_history()
    d = await diagnostiquer(histoire, _replayer(client))
    r = Reparation(d)
    if d.rejoue or essai:
        return r
    assert d.point is not None
    run_id = (await handle.describe()).run_id
    reponse = await client.workflow_service.reset_workflow_execution(
        ResetWorkflowExecutionRequest(
            namespace=client.namespace,
            workflow_execution=Execution(workflow_id=workflow_id, run_id=run_id),
            reason=f"ops.reparer : historique non rejouable après l'événement {d.point}",
            workflow_task_finish_event_id=d.point,
            request_id=str(uuid.uuid4()),
            # signals come back through the server; commands are sent again below, in order
            reset_reapply_exclude_types=[ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_UPDATE],
            identity=IDENTITE,
        )
    )
    r.run_id = reponse.run_id
    for c in d.commandes:
        r.issues.append((c, await _renvoyer(client, workflow_id, reponse.run_id, c)))
    return r


def rapport(workflow_id: str, r: Reparation, essai: bool) -> list[str]:
    d = r.diagnostic
    if d.rejoue:
        return [f"{workflow_id} : l'historique se rejoue avec le code actuel, rien à réparer."]
    lignes = [
        f"{workflow_id} : historique non rejouable — {d.erreur.splitlines()[0][:300]}",
        f"  point de reprise : la tâche de workflow terminée à l'événement {d.point}",
        f"  signaux reçus après ce point, réappliqués par Temporal : {len(d.signaux)}"
        + (f" ({', '.join(d.signaux)})" if d.signaux else ""),
        f"  commandes acceptées après ce point, renvoyées avec leur identifiant : {len(d.commandes)}",
    ]
    if essai:
        lignes += [f"    {c.nom} (Update {c.update_id})" for c in d.commandes]
        lignes.append("  (essai : rien n'a été fait)")
    else:
        lignes.insert(2, f"  réinitialisé : nouvelle exécution {r.run_id}")
        lignes += [f"    {c.nom} (Update {c.update_id}) : {issue}" for c, issue in r.issues]
    if d.appels:
        lignes.append(
            "  appels aux partenaires décidés après ce point, décidés de nouveau par la "
            f"nouvelle exécution (vérifier chez le partenaire) : {', '.join(d.appels)}"
        )
    return lignes


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Répare un parcours bloqué techniquement (historique non rejouable)"
    )
    parser.add_argument("parcours_id")
    parser.add_argument("--workflow", help="l'identifiant d'un sous-processus bloqué du parcours")
    parser.add_argument(
        "--essai", action="store_true", help="dire ce qui serait fait, sans le faire"
    )
    args = parser.parse_args(argv)
    settings = get_settings()
    try:
        client = await connect(settings)
    except RuntimeError as err:
        print(f"Temporal injoignable ({settings.effective_temporal_address}) : {err}")  # noqa: T201
        return 2
    workflow_id = args.workflow or parcours_workflow_id(args.parcours_id)
    r = await reparer(client, workflow_id, essai=args.essai)
    for ligne in rapport(workflow_id, r, args.essai):
        print(ligne)  # noqa: T201
    return 0


if __name__ == "__main__":
    journaux.commande("reparer", niveau=logging.WARNING)
    terminer(asyncio.run(main()))
