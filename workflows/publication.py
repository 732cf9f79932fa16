"""What a parcours writes into the read model: one pure function, used by the workflow after
each change and by the rebuild command (``ops.reconstruction``), so both write the same rows.

Deterministic (no clock, no I/O): the day is given.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from temporalio.common import Priority, SearchAttributeKey

from core import search_attributes as sa
from rules import vigie
from schemas.parcours import ParcoursState
from schemas.projection import Projection

TIMELINE_PROJETEE = "timeline_projetee"  # state counter: the last timeline line written
# A projection that brings the coordination a new rupture or a partner's signalement goes
# before the others in Temporal's activity queue and in the worker's writes to the read
# model (activities/projection.py): during a partner's burst, hundreds of ordinary
# projections wait there, and a radiation must not wait behind them (issue 19). Lower
# first; the others keep the server's default (3 of 5).
PRIORITE_URGENTE = Priority(priority_key=1)


def projection(s: ParcoursState, aujourd_hui: date, *, tout: bool = False) -> Projection:
    """The snapshot to upsert: the state without its timeline (lines go apart, only the new
    ones unless ``tout``) nor its rules. The state carries the counter as it will be once
    written, so a rebuild from the same state writes the same row."""
    deja = 0 if tout else s.compteurs.get(TIMELINE_PROJETEE, 0)
    nouveaux = [e for e in s.timeline if e.seq > deja]
    compteurs = dict(s.compteurs)
    if nouveaux:
        compteurs[TIMELINE_PROJETEE] = max(deja, *(e.seq for e in nouveaux))
    echeance = min(
        (a for a in s.alertes if a.echeance), key=lambda a: a.echeance or date.max, default=None
    )
    return Projection(
        etat=s.model_copy(update={"timeline": [], "regles": None, "compteurs": compteurs}),
        evenements=nouveaux,
        prochaine_echeance=echeance.echeance if echeance else _prochaine(s, aujourd_hui),
        prochaine_echeance_libelle=echeance.libelle if echeance else None,
    )


def _prochaine(s: ParcoursState, aujourd_hui: date) -> date | None:
    if s.regles is None:
        return None
    candidats = [c.echeance for c in vigie.candidats(s, s.regles) if c.echeance]
    return min((d for d in candidats if d >= aujourd_hui), default=None)


def attributs(s: ParcoursState) -> dict[SearchAttributeKey[Any], Any]:
    """The search attributes a parcours' state gives its workflow, in the order they are
    upserted: set at the start by whoever computed the opening (an import), upserted by the
    workflow after each projection when they moved."""
    return {
        sa.PHASE: s.phase.value,
        sa.STATUT: s.statut.value,
        sa.TERRITOIRE: s.territoire.value,
        sa.ORGANISME: s.organisme.value if s.organisme else "aucun",
        sa.REFERENT: s.referent.referent.id if s.referent else "aucun",
        sa.TYPE: "parcours",
        sa.MOTIFS: sorted({a.code for a in s.alertes}),
        sa.INCIDENTS: sum(1 for i in s.incidents if i.actif),
    }
