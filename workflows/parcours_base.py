"""What the parts of the parcours workflow share (workflows/parcours.py, parcours_vigie.py,
parcours_appels.py): the delays of its activities, and the workflow as each part sees the
others — the step handlers' context plus the state the main loop, the vigie and the partner
calls hand to one another."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from temporalio.common import RetryPolicy

from schemas.common import Acteur
from workflows.etapes.base import Contexte

ACTIVITY_TIMEOUT = timedelta(seconds=30)
PROJECTION_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    maximum_interval=timedelta(minutes=1),
    maximum_attempts=30,
)
CHILDREN_CLOSE_TIMEOUT = timedelta(hours=1)


class Parcours(Contexte, Protocol):
    """ParcoursWorkflow, as its mixins see it."""

    _entree: Any  # ParcoursInput
    _a_publier: bool
    _urgent: bool  # the next projection brings a new rupture or signalement
    _demarre: bool
    _pret: bool
    _taches: dict[str, asyncio.Task[None]]
    _prochain_reveil: datetime | None
    _attributs: dict[str, Any]

    def _patched(self, nom: str) -> bool: ...

    def _apres_changement(self, auteur: Acteur | None = None) -> None: ...

    async def _au_plus(self, condition: Callable[[], bool], delai: timedelta) -> bool: ...

    # --- workflows/parcours_appels.py
    def _demarrer_appel(self, operation_id: str) -> None: ...

    def _cle_d_appel(self) -> str: ...

    def _operation(self, operation_id: str) -> Any: ...

    def _maj_operation(self, operation_id: str, **changes: Any) -> None: ...

    async def _appeler(self, operation_id: str) -> None: ...

    def _incident(self, operation_id: str) -> Any: ...

    def _ouvrir_incident(self, op: Any, err: Any) -> None: ...

    def _reussite(self, op: Any, resultat: dict[str, Any]) -> None: ...

    def _appels_en_vol(self) -> bool: ...

    # --- workflows/parcours_vigie.py
    def _reevaluer(self) -> None: ...

    def _prevenir_coordination(self, a: Any) -> None: ...

    def _annoncee_par_l_import(self, a: Any) -> bool: ...

    def _attributs_de_recherche(self) -> None: ...
