"""Where a detection's time goes, read from the parcours' workflow history: each radiation's
send, acknowledgement and appearance in the list (the bench's clock, wall time) placed
against the history's timestamps (the server's, same machine) of its signal, the workflow
task that applied it, and the projection activity that wrote the alert into the read model."""

from __future__ import annotations

from dataclasses import dataclass

from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client

from bench.mesure import centile, ms
from core.ids import parcours_workflow_id

PROJECTION = "lecture.projeter_parcours"
SIGNAUX = ("evenements_partenaires", "evenement_partenaire")

# (label, from, to): the stages, each between two moments of ``Trace.moments``
ETAPES = (
    ("accusé de l'envoi", "envoi", "accuse"),
    ("répartiteur (accusé → signal)", "accuse", "signal"),
    ("file des tâches de workflow (signal → tâche commencée)", "signal", "tache"),
    ("worker (tâche commencée → projection demandée)", "tache", "projection_demandee"),
    ("file des activités (projection demandée → commencée)", "projection_demandee", "projection"),
    ("écriture de la projection", "projection", "projection_finie"),
    ("liste de la coordination (projection écrite → vue)", "projection_finie", "vu"),
    ("dont la réponse de la liste qui l'a montrée", "lecture", "vu"),
)


@dataclass
class Trace:
    """One radiation: the wall-clock moments the bench saw (send, acknowledgement, seen)."""

    parcours_id: str
    envoi: float
    accuse: float
    vu: float | None = None
    lecture: float | None = None  # when the request that saw it was sent
    moments: dict[str, float] | None = None  # filled from the history by ``completer``


def _t(ev: HistoryEvent) -> float:
    return ev.event_time.ToDatetime().timestamp() if ev.event_time else 0.0


def _apres(events: list[HistoryEvent], depuis: int, sorte: EventType.ValueType) -> HistoryEvent:
    return next(e for e in events[depuis:] if e.event_type == sorte)


def moments(events: list[HistoryEvent], envoi: float) -> dict[str, float] | None:
    """The radiation's signal (the first partner signal after its send: the burst signals
    other parcours), the first workflow task after it, the first projection after it."""
    try:
        i = next(
            n
            for n, e in enumerate(events)
            if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED
            and e.workflow_execution_signaled_event_attributes.signal_name in SIGNAUX
            and _t(e) >= envoi
        )
        tache = _apres(events, i, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)
        demandee = next(
            e
            for e in events[i:]
            if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
            and e.activity_task_scheduled_event_attributes.activity_type.name == PROJECTION
        )
        j = events.index(demandee)
        commencee = next(
            e
            for e in events[j:]
            if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
            and e.activity_task_started_event_attributes.scheduled_event_id == demandee.event_id
        )
        finie = next(
            e
            for e in events[j:]
            if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
            and e.activity_task_completed_event_attributes.scheduled_event_id == demandee.event_id
        )
    except StopIteration:
        return None
    return {
        "signal": _t(events[i]),
        "tache": _t(tache),
        "projection_demandee": _t(demandee),
        "projection": _t(commencee),
        "projection_finie": _t(finie),
    }


async def completer(client: Client, traces: list[Trace]) -> None:
    for trace in traces:
        histoire = await client.get_workflow_handle(
            parcours_workflow_id(trace.parcours_id)
        ).fetch_history()
        trace.moments = moments(list(histoire.events), trace.envoi)


def texte(traces: list[Trace]) -> str:
    """« stage p50 / p95 ms » for each stage, over the radiations whose history told all."""
    completes = [
        {"envoi": t.envoi, "accuse": t.accuse, "vu": t.vu, "lecture": t.lecture, **t.moments}
        for t in traces
        if t.moments is not None and t.vu is not None and t.lecture is not None
    ]
    if not completes:
        return "décomposition indisponible"
    parties = []
    for libelle, de, a in ETAPES:
        durees = [m[a] - m[de] for m in completes]
        parties.append(
            f"{libelle} {ms(centile(durees, 50)):.0f} / {ms(centile(durees, 95)):.0f} ms"
        )
    return f"sur {len(completes)} radiations, p50 / p95 : " + " ; ".join(parties)
