"""Every phase change goes through the graph of workflows/phases.py: one it does not allow
is refused with its reason, and the parcours goes on (issue 21). No code path makes such a
change (tests/workflows/test_coherence_commandes.py), so the graph is narrowed here."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.common import Organisme
from schemas.diagnostic import Frein
from schemas.orientation import TypeOrientation
from schemas.parcours import Phase
from schemas.rdv import Contact, ModeContact
from services.parcours_client import CommandeImpossible, ParcoursClient
from tests.factories import CLAIRE, accueil_rsa, diagnostic
from tests.workflows.test_scenarios import _decider
from workflows import phases


async def test_un_changement_hors_du_graphe_est_refuse_et_le_parcours_continue(
    parcours: ParcoursClient, aujourd_hui: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = await parcours.ouvrir(accueil_rsa(aujourd_hui), CLAIRE)
    pid = s.parcours_id
    await parcours.commander(
        pid,
        "enregistrer_diagnostic",
        diagnostic(aujourd_hui, bloquants=(Frein.LOGEMENT, Frein.MOBILITE)),
        CLAIRE,
    )
    sans_orientation = {
        p: r for p, r in phases.GRAPHE[Phase.DIAGNOSTIC].items() if p != Phase.ORIENTATION
    }
    monkeypatch.setitem(phases.GRAPHE, Phase.DIAGNOSTIC, sans_orientation)

    with pytest.raises(CommandeImpossible) as refus:
        await _decider(
            parcours,
            pid,
            aujourd_hui,
            TypeOrientation.SOCIALE,
            Organisme.CONSEIL_DEPARTEMENTAL,
            CLAIRE,
            CLAIRE,
        )
    assert refus.value.code == "phase_interdite"
    assert refus.value.message == (
        "Changement de phase non permis : de « Diagnostic » vers « Orientation » "
        "(workflows/phases.py)"
    )
    contact = Contact(le=aujourd_hui, mode=ModeContact.TELEPHONE, objet="Point d'étape")
    s = await parcours.commander(pid, "enregistrer_contact", contact, CLAIRE)  # not blocked
    assert s.phase == Phase.DIAGNOSTIC
