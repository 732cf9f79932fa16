"""A parcours' opening computed by whoever opens it (issue 16: an import of 5,000 rows).

The state a new parcours has once its first workflow task is done (its accueil, the CAF's
answer read beforehand, the vigie's first evaluation) is computed here by the workflow's own
code — the same methods, run outside the engine at a given moment, every patch taken as a new
history takes them — so that the opener can write it into the read model and start the
workflow with it (``ParcoursInput.projete``): the workflow then neither projects it nor upserts
its search attributes. Not imported by any workflow: it runs in the worker's activities."""

from __future__ import annotations

from datetime import datetime

from schemas.parcours import ParcoursInput, ParcoursState
from workflows.parcours import ParcoursWorkflow


class _HorsDuMoteur(ParcoursWorkflow):
    def __init__(self, entree: ParcoursInput, maintenant: datetime) -> None:
        self._maintenant = maintenant
        super().__init__(entree)

    def now(self) -> datetime:
        return self._maintenant

    def _patched(self, nom: str) -> bool:
        return True  # a new history takes every patch


def etat_ouvert(entree: ParcoursInput, maintenant: datetime) -> ParcoursState:
    """The state of the parcours ``entree`` opens (an accueil, not a state carried over), as
    its first workflow task leaves it: ``_etat_initial``, then the first evaluation run()
    makes. Nothing is started (no activity, no timer): the workflow does it, from this state."""
    ouverture = _HorsDuMoteur(entree, maintenant)
    ouverture._reevaluer()
    return ouverture.s
