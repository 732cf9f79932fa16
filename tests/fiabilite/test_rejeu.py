"""Fault 8: the workflow code changes under running parcours. Every saved history (each phase,
the contract, PMSMP and employment children, an incident, partner events, a sortie, a
continue-as-new) must replay against the current code, with the project's data converter:
a change that breaks one must go under `workflow.patched()` (docs/reliability.md).

Refresh the histories with `make histoires` (python -m tests.fiabilite.enregistrer_histoires):
the previous recording moves to a dated folder and keeps being replayed."""

from __future__ import annotations

import json

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from core.settings import DEV_CODEC_KEY
from core.temporal import data_converter
from tests.fiabilite.enregistrer_histoires import DOSSIER, INDEX
from worker import SANDBOX
from workflows.registre import WORKFLOWS

DEFAUT_SDK = DOSSIER / "defaut-sdk" / "update-apres-tache-expiree.json"
DEFAUT_SDK_ID = "parcours-c6cdfd0f-fa18-42f7-b382-ae8899a2a8a1"


def _histoires() -> list[tuple[str, WorkflowHistory]]:
    """The latest recording (histoires/) and each earlier one kept in a dated folder: the
    histories of every code generation whose parcours may still run."""
    histoires = []
    for fichier in sorted([DOSSIER / INDEX, *DOSSIER.glob(f"*/{INDEX}")]):
        if not fichier.exists():
            continue
        index: dict[str, str] = json.loads(fichier.read_text())
        prefixe = "" if fichier.parent == DOSSIER else f"{fichier.parent.name}/"
        histoires += [
            (prefixe + nom, WorkflowHistory.from_json(wid, (fichier.parent / nom).read_text()))
            for nom, wid in sorted(index.items())
        ]
    return histoires


def _replayer() -> Replayer:
    return Replayer(
        workflows=WORKFLOWS,
        data_converter=data_converter(DEV_CODEC_KEY),
        workflow_runner=SANDBOX,
    )


async def test_le_code_actuel_rejoue_chaque_historique() -> None:
    histoires = _histoires()
    noms = [nom.rsplit("/", 1)[-1].split(".") for nom, _ in histoires]
    assert {"Parcours", "Contrat", "Pmsmp", "SuiviEmploi"} <= {type_ for _, _, type_, _ in noms}
    assert {
        "accueil",
        "diagnostic",
        "orientation",
        "contrat",
        "pmsmp",
        "emploi",
        "sortie",
        "incident",
        "evenements",
        "continue-as-new",
        "import",  # opened with its rules and the CAF's answer in its input (issue 16)
    } <= {scenario for scenario, _, _, _ in noms}
    fins = {EventType.Name(h.events[-1].event_type) for _, h in histoires}
    assert "EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW" in fins
    replayer, echecs = _replayer(), {}
    for nom, histoire in histoires:
        resultat = await replayer.replay_workflow(histoire, raise_on_replay_failure=False)
        if resultat.replay_failure is not None:
            echecs[nom] = str(resultat.replay_failure)
    assert echecs == {}, "historiques que le code actuel ne sait plus rejouer :\n" + "\n".join(
        f"  {nom} : {raison}" for nom, raison in echecs.items()
    )


async def test_defaut_connu_du_sdk_toujours_present() -> None:
    """The history a cached worker left after a SIGKILL: temporalio 1.35 cannot replay it.
    When this test fails, the SDK fixed the defect (docs/reliability.md)."""
    histoire = WorkflowHistory.from_json(DEFAUT_SDK_ID, DEFAUT_SDK.read_text())
    resultat = await _replayer().replay_workflow(histoire, raise_on_replay_failure=False)
    if resultat.replay_failure is None:
        pytest.fail("Le SDK rejoue désormais cet historique : mettre docs/reliability.md à jour")
    assert "Update machine does not handle this event" in str(resultat.replay_failure)
