"""Long life: past a history threshold the parcours continues as new, carrying its whole state;
its timers, its children and its pending deadlines keep working in the new run."""

from __future__ import annotations

import asyncio
from datetime import date

from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from schemas.common import Organisme
from schemas.contrat import (
    Objectif,
    RedactionContrat,
    Signataire,
    SignatureContrat,
    TypeContrat,
    add_months,
)
from schemas.orientation import DecisionOrientationResolue, TypeOrientation
from schemas.parcours import Phase
from schemas.rdv import Contact, ModeContact
from services.parcours_client import ParcoursClient
from tests.factories import CLAIRE, KARIM, accueil_rsa, diagnostic, plus
from tests.workflows.temps import aller_au, attendre, codes


async def _runs(env: WorkflowEnvironment, workflow_id: str) -> list[str]:
    handle = env.client.get_workflow_handle(workflow_id)
    description = await handle.describe()
    first = description.raw_description.workflow_execution_info.first_run_id or description.run_id
    return [first, description.run_id or ""]


async def test_continue_as_new_ne_perd_rien(
    parcours: ParcoursClient, temporal_env: WorkflowEnvironment, aujourd_hui: date
) -> None:
    s = await parcours.ouvrir(accueil_rsa(aujourd_hui), CLAIRE, seuil_continue_as_new=40)
    pid, wid = s.parcours_id, f"parcours-{s.parcours_id}"
    await parcours.commander(pid, "enregistrer_diagnostic", diagnostic(aujourd_hui), CLAIRE)
    await parcours.commander(
        pid,
        "decider_orientation",
        DecisionOrientationResolue(
            decidee_le=aujourd_hui,
            type=TypeOrientation.PROFESSIONNELLE,
            organisme=Organisme.FRANCE_TRAVAIL,
            referent_id=KARIM.id,
            referent=KARIM,
        ),
        CLAIRE,
    )
    await parcours.commander(
        pid,
        "rediger_contrat",
        RedactionContrat(
            type=TypeContrat.PPAE,
            date_debut=aujourd_hui,
            date_fin=add_months(aujourd_hui, 6),
            objectifs=[Objectif(libelle="Emploi")],
        ),
        KARIM,
    )
    for n in range(8):  # enough history to cross the threshold
        await parcours.commander(
            pid,
            "enregistrer_contact",
            Contact(le=aujourd_hui, mode=ModeContact.TELEPHONE, objet=f"Appel {n}"),
            KARIM,
        )
    avant = await attendre(parcours, pid, lambda st: True)

    # The workflow continues as new after a quiet second (no call in flight): let time pass,
    # and give it real seconds, bounded, to get there.
    await aller_au(temporal_env, aujourd_hui, heure=23)
    fin = asyncio.get_running_loop().time() + 60
    first, current = await _runs(temporal_env, wid)
    while first == current and asyncio.get_running_loop().time() < fin:
        await asyncio.sleep(0.2)
        first, current = await _runs(temporal_env, wid)
    assert first != current, "le parcours aurait dû continuer dans une nouvelle exécution"
    first_run = temporal_env.client.get_workflow_handle(wid, run_id=first)
    assert (await first_run.describe()).status == WorkflowExecutionStatus.CONTINUED_AS_NEW

    apres = await parcours.etat(pid)
    assert apres.timeline[: len(avant.timeline)] == avant.timeline  # the whole state came along
    assert apres.contrat == avant.contrat
    # The child (contract) still answers and still reports to its parcours, in the new run.
    for signataire in Signataire:
        await parcours.commander(
            pid,
            "signer_contrat",
            SignatureContrat(signataire=signataire, signe_le=aujourd_hui),
            KARIM,
        )
    s = await attendre(parcours, pid, lambda st: st.phase == Phase.CONTRAT)
    assert s.phase == Phase.CONTRAT
    # Pending deadlines still fire: 45 days without contact.
    await aller_au(temporal_env, plus(aujourd_hui, 45))
    s = await attendre(parcours, pid, lambda st: "silence_alerte" in codes(st))
    assert "silence_alerte" in codes(s)
    # The time-skipping test server keeps a child of a continued-as-new run pending and then
    # stops its shared clock: end this parcours and its child so the next tests can skip time.
    assert s.contrat is not None
    await temporal_env.client.get_workflow_handle(s.contrat.workflow_id).terminate("fin du test")
    await temporal_env.client.get_workflow_handle(wid).terminate("fin du test")
