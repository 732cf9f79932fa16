"""The scheduled import of France Travail's offers, on a Temporal test server: the run's bilan,
an outage retried by the retry policy, a refusal not retried and failing with a clear message
that names the setting (never its value)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from temporalio.client import WorkflowFailureError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.offres_france_travail import OffresFranceTravailActivities
from employeurs.france_travail import ConfigOffresFT
from store.db import SessionFactory
from tests.employeurs.reponses import (
    CLIENT_ID,
    CLIENT_SECRET,
    URL_JETON,
    URL_OFFRES,
    FranceTravailEnregistre,
)
from worker import SANDBOX
from workflows.offres_france_travail import ImportOffresFranceTravailWorkflow

CONFIG = ConfigOffresFT(URL_OFFRES, URL_JETON, CLIENT_ID, SecretStr(CLIENT_SECRET))


@pytest.fixture
def ft() -> FranceTravailEnregistre:
    return FranceTravailEnregistre()


@pytest.fixture
async def file_du_test(
    temporal_env: WorkflowEnvironment, sessions: SessionFactory, ft: FranceTravailEnregistre
) -> AsyncIterator[str]:
    file = f"offres-ft-{uuid.uuid4()}"
    async with httpx.AsyncClient(transport=ft.transport()) as http:
        activites = OffresFranceTravailActivities(sessions, CONFIG, http)
        async with Worker(
            temporal_env.client,
            task_queue=file,
            workflows=[ImportOffresFranceTravailWorkflow],
            activities=[activites.importer],
            workflow_runner=SANDBOX,
        ):
            yield file


async def lancer(env: WorkflowEnvironment, file: str) -> dict[str, Any]:
    bilan: dict[str, Any] = await env.client.execute_workflow(
        "ImportOffresFranceTravail",
        id=f"import-offres-ft-{uuid.uuid4()}",
        task_queue=file,
        result_type=dict,
    )
    return bilan


async def test_le_bilan_de_l_import_et_une_panne_reessayee(
    temporal_env: WorkflowEnvironment, file_du_test: str, ft: FranceTravailEnregistre
) -> None:
    ft.pannes.append(httpx.Response(503, text="Service Unavailable"))
    bilan = await lancer(temporal_env, file_du_test)
    assert bilan["configure"] is True
    assert (bilan["ajoutees"], bilan["sans_siret"], bilan["complete"]) == (3, 1, True)


async def test_identifiants_refuses_echec_clair_sans_reessai(
    temporal_env: WorkflowEnvironment, file_du_test: str, ft: FranceTravailEnregistre
) -> None:
    ft.jetons_refuses = True
    with pytest.raises(WorkflowFailureError) as echec:
        await lancer(temporal_env, file_du_test)
    activite = echec.value.cause  # ActivityError, whose cause is the activity's own error
    assert activite is not None
    cause = str(activite.__cause__)
    assert "FRANCE_TRAVAIL_CLIENT_SECRET" in cause
    assert CLIENT_SECRET not in cause
    assert len([a for a in ft.appels if a.url.path.endswith("/access_token")]) == 1


async def test_non_configure_le_dit_sans_echouer(
    temporal_env: WorkflowEnvironment, sessions: SessionFactory
) -> None:
    file = f"offres-ft-{uuid.uuid4()}"
    vide = ConfigOffresFT("", "", "", SecretStr(""))
    async with httpx.AsyncClient() as http:
        activites = OffresFranceTravailActivities(sessions, vide, http)
        async with Worker(
            temporal_env.client,
            task_queue=file,
            workflows=[ImportOffresFranceTravailWorkflow],
            activities=[activites.importer],
            workflow_runner=SANDBOX,
        ):
            assert await lancer(temporal_env, file) == {"configure": False}
