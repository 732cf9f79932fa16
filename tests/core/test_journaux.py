"""The JSON log line of an activity (and of a workflow: the same ``extra`` shape) carries the
workflow and run ids that temporalio's logger adapters attach."""

from __future__ import annotations

import io
import json
import logging

from temporalio import activity
from temporalio.testing import ActivityEnvironment

from core.journaux import FormatJson


@activity.defn
async def dire_bonjour() -> None:
    activity.logger.info("Bonjour")


async def test_une_ligne_d_activite_dit_son_workflow_et_son_execution() -> None:
    environnement = ActivityEnvironment()
    sortie = io.StringIO()
    handler = logging.StreamHandler(sortie)
    handler.setFormatter(FormatJson())
    journal = logging.getLogger("temporalio.activity")
    journal.addHandler(handler)
    niveau = journal.level
    journal.setLevel(logging.INFO)
    try:
        await environnement.run(dire_bonjour)
    finally:
        journal.removeHandler(handler)
        journal.setLevel(niveau)
    ligne = json.loads(sortie.getvalue().splitlines()[-1])
    assert ligne["niveau"] == "INFO"
    assert ligne["message"].startswith("Bonjour")
    infos = environnement.info
    assert (ligne["workflow_id"], ligne["run_id"]) == (infos.workflow_id, infos.workflow_run_id)
    assert ligne["activity_type"] == infos.activity_type
