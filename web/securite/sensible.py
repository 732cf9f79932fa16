"""The health and justice rule (schemas/sensible.py) for a signed-in person: every output of
the web tier — API, pages, forms, PDF, export — goes through :func:`proteger`."""

from __future__ import annotations

from schemas.parcours import ParcoursState
from schemas.sensible import proteger as _proteger
from schemas.sensible import sensible_autorise
from services.utilisateur import Utilisateur, est_referent_du_parcours


def sensible_visible(u: Utilisateur, s: ParcoursState) -> bool:
    """Health and justice answers: only the référent, only with the person's consent."""
    return sensible_autorise(s, est_referent_du_parcours(u, s))


def proteger(s: ParcoursState, u: Utilisateur) -> ParcoursState:
    """The state with the health and justice answers blanked unless ``u`` may see them."""
    return _proteger(s, est_referent_du_parcours(u, s))
