"""The Schedule's workflow puts data·inclusion's offer of the département into the catalogue:
every page, only what changed by date_maj, and what disappears is archived, not deleted."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select
from temporalio.client import WorkflowFailureError
from temporalio.testing import WorkflowEnvironment

from schemas.data_inclusion import BilanSynchronisation
from simulator.data_inclusion import JeuDataInclusion, Reponse
from store.catalogue import ServiceCatalogueRow
from store.db import make_engine, session_factory
from tests.data_inclusion.conftest import services_enregistres, structures_enregistrees

CV, PERMIS, GLOBAL = (
    "dora--0b9a-atelier-cv",
    "dora--5d21-aide-mobilite",
    "france-travail--ft-74281-accompagnement-global",
)


async def synchroniser(env: WorkflowEnvironment, queue: str) -> BilanSynchronisation:
    await env.sleep(timedelta(minutes=1))  # each run's mark later than the previous one's
    bilan: BilanSynchronisation = await env.client.execute_workflow(
        "SynchronisationDataInclusion",
        2,  # pages of two: the three services take two pages
        id=f"synchro-di-{uuid.uuid4()}",
        task_queue=queue,
        result_type=BilanSynchronisation,
    )
    return bilan


async def lignes(url: str) -> dict[str, ServiceCatalogueRow]:
    engine = make_engine(url)
    async with session_factory(engine)() as session:
        rows = (await session.exec(select(ServiceCatalogueRow))).all()
    await engine.dispose()
    return {r.id: r for r in rows}


def _service(services: list[dict[str, Any]], ident: str) -> dict[str, Any]:
    return next(s for s in services if s["id"] == ident)


async def test_ajout_mise_a_jour_incremental_archivage_et_retour(
    temporal_env: WorkflowEnvironment,
    worker_du_test: str,
    lecture_du_test: str,
    jeu_di: JeuDataInclusion,
) -> None:
    premier = await synchroniser(temporal_env, worker_du_test)
    assert (premier.structures, premier.services, premier.ajoutes) == (2, 3, 3)
    assert [a["page"] for a in jeu_di.appels if "size" in a] == ["1", "1", "2"]
    avant = await lignes(lecture_du_test)
    assert set(avant) == {CV, PERMIS, GLOBAL}
    assert not any(r.archive_le for r in avant.values())
    assert (avant[GLOBAL].latitude, avant[GLOBAL].longitude) == (46.372021, 6.481012)

    services = copy.deepcopy(services_enregistres())
    mis_a_jour = _service(services, CV)
    mis_a_jour.update(nom="Atelier CV (nouvelle formule)", date_maj="2026-11-20")
    # changed without a new date_maj: the incremental synchronisation does not rewrite it
    _service(services, GLOBAL)["description"] = "Texte changé sans nouvelle date de mise à jour."
    services.remove(_service(services, PERMIS))  # gone from data·inclusion
    nouveau = {**copy.deepcopy(mis_a_jour), "id": "dora--77aa-jardin", "nom": "Jardin solidaire"}
    services.append(nouveau)
    jeu_di.remplacer(services, structures_enregistrees())

    second = await synchroniser(temporal_env, worker_du_test)
    assert (second.ajoutes, second.mis_a_jour, second.inchanges, second.archives) == (1, 1, 1, 1)
    apres = await lignes(lecture_du_test)
    assert apres[CV].nom == "Atelier CV (nouvelle formule)"
    assert apres[GLOBAL].donnees["description"] == avant[GLOBAL].donnees["description"]
    assert apres[PERMIS].archive_le is not None  # kept, archived: not deleted
    assert apres[PERMIS].nom == "Aide au financement du permis de conduire"

    jeu_di.remplacer(
        [*services, _service(services_enregistres(), PERMIS)], structures_enregistrees()
    )
    troisieme = await synchroniser(temporal_env, worker_du_test)
    assert (troisieme.reapparus, troisieme.archives) == (1, 0)
    assert (await lignes(lecture_du_test))[PERMIS].archive_le is None


async def test_une_synchro_interrompue_n_archive_rien(
    temporal_env: WorkflowEnvironment,
    worker_du_test: str,
    lecture_du_test: str,
    jeu_di: JeuDataInclusion,
) -> None:
    await synchroniser(temporal_env, worker_du_test)
    jeu_di.remplacer(services_enregistres()[:1], structures_enregistrees())
    # structures page 1 served, then the token is refused on the services' first page
    jeu_di.programmer(Reponse(200, '{"items": [], "total": 0, "page": 1, "size": 0, "pages": 0}'))
    jeu_di.programmer(Reponse(401, '{"detail":"Unauthorized"}'))
    with pytest.raises(WorkflowFailureError):
        await synchroniser(temporal_env, worker_du_test)
    assert not any(r.archive_le for r in (await lignes(lecture_du_test)).values())


async def test_une_liste_qui_change_pendant_la_lecture_reporte_l_archivage(
    temporal_env: WorkflowEnvironment,
    worker_du_test: str,
    lecture_du_test: str,
    jeu_di: JeuDataInclusion,
) -> None:
    await synchroniser(temporal_env, worker_du_test)
    page_1 = services_enregistres()[:2]
    total_change = {"items": [], "total": 2, "page": 2, "size": 0, "pages": 2}
    structures = {"items": structures_enregistrees(), "total": 2, "page": 1, "size": 2, "pages": 1}
    corps_1 = {"items": page_1, "total": 3, "page": 1, "size": 2, "pages": 2}

    jeu_di.programmer(
        Reponse(200, json.dumps(structures)),
        Reponse(200, json.dumps(corps_1)),
        Reponse(200, json.dumps(total_change)),
    )
    bilan = await synchroniser(temporal_env, worker_du_test)
    assert bilan.archivage_reporte
    assert bilan.archives == 0
    assert not any(r.archive_le for r in (await lignes(lecture_du_test)).values())
