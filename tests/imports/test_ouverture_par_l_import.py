"""What opening a parcours costs an import (issue 16: 5,000 rows in a few minutes): one workflow
start and one workflow task, five history events — the vigie's rules come with the start, the
CAF's answer is read by the import for its batch, the first projection is computed and written
by the import (the workflow starts from it), and the coordination hears once of the parcours
opened without a référent instead of once per parcours — and nothing the parcours did before is
lost: its rules, its rights read at the CAF, its break, its row in the read model. When the CAF
is away, the parcours reads the rights itself, as at any accueil."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from sqlmodel import col, select
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from bench.historique import Ouverture, ouverture
from core.ids import parcours_workflow_id
from core.settings import Settings
from importation import service
from schemas.common import Acteur, Role, Territoire
from schemas.imports import DemandeImport
from schemas.incident import StatutOperation, TypeOperation
from schemas.parcours import ParcoursState
from store.comptes import Compte
from store.db import SessionFactory, create_schema, make_engine, session_factory
from store.imports import ImportLigneRow, ImportRow
from store.parcours import ParcoursRow
from tests.fixtures.simulateur import Simulateur
from tests.imports import fichiers
from tests.partenaires.outils import attendre
from worker import running_worker

N = 3
COORDINATRICE_EMAIL = "coordination.ouverture@example.org"


def _coordinatrice() -> Compte:
    """A new row each time: a ``model_copy`` of one module-level row shared its SQLAlchemy
    state, so the second test to add it (in a fresh database) inserted nothing, and the
    coordination was « inconnue » (seen in a random-order run)."""
    return Compte(
        id="coord-ouverture",
        email=COORDINATRICE_EMAIL,
        nom="Coordination du bassin",
        role=Role.COORDINATEUR.value,
        territoire=Territoire.BASSIN_ANNECIEN.value,
        cree_le=datetime.now(UTC),
    )


COORD = Acteur(
    id="coord-bassin_annecien",
    nom="Anne Lefèvre",
    role=Role.COORDINATEUR,
    territoire=Territoire.BASSIN_ANNECIEN,
)


async def test_un_parcours_ouvert_par_l_import_coute_une_projection(
    temporal_local: WorkflowEnvironment, settings: Settings, simulateur: Simulateur
) -> None:
    client = temporal_local.client
    async with _importer(client, settings, au_repos=True) as pids:
        await _ouverts_pour_une_projection(client, pids, simulateur)


async def _ouverts_pour_une_projection(
    client: Client, pids: list[str], simulateur: Simulateur
) -> None:
    async def courriels() -> list[dict[str, Any]]:
        return await simulateur.courriels(destinataire=COORDINATRICE_EMAIL)

    (courriel,) = await attendre(courriels, "courriel à la coordination", delai_s=30)
    assert courriel["sujet"] == f"Import « liste.xlsx » : {N} parcours ouverts sans référent"
    assert courriel["texte"].startswith(
        f"L'import de la liste « liste.xlsx » a ouvert {N} parcours sans référent : ils sont en "
        "rupture « Aucun référent actif » jusqu'à l'affectation d'un référent."
    )

    for pid in pids:
        histoire = await ouverture(client, parcours_workflow_id(pid))
        assert _cout(histoire) == {
            "activites": {},  # its first projection is written by the import
            "updates": 0,
            "taches": 1,
            "minuteries": 1,  # the vigie's next deadline, armed at the opening
            "evenements": 5,  # started, its one task (3), the timer
        }, histoire.texte()
        etat = await client.get_workflow_handle(parcours_workflow_id(pid)).query(
            "etat_complet", result_type=ParcoursState
        )
        assert etat.regles is not None  # the vigie is armed from the first task
        assert [e.code for e in etat.timeline] == ["accueil", "droits_rsa_lus", "alerte_levee"]
        assert [a.code for a in etat.alertes] == ["sans_referent"]
        (lecture,) = etat.operations
        assert (lecture.type, lecture.statut) == (
            TypeOperation.LIRE_DROITS_RSA,
            StatutOperation.REUSSIE,
        )


async def test_la_caf_absente_le_parcours_lit_ses_droits_lui_meme(
    temporal_local: WorkflowEnvironment, settings: Settings, simulateur: Simulateur
) -> None:
    await simulateur.mode("caf", "panne")
    try:
        client = temporal_local.client
        async with _importer(client, settings) as (pid, *_):
            histoire = await ouverture(client, parcours_workflow_id(pid))
        assert histoire.activites["caf.lire_droits_rsa"] >= 1, histoire.texte()
    finally:
        await simulateur.mode("caf", "normal")


def _cout(o: Ouverture) -> dict[str, object]:
    return {
        "activites": dict(o.activites),
        "updates": o.updates,
        "taches": o.taches,
        "minuteries": o.minuteries,
        "evenements": o.evenements,
    }


@asynccontextmanager
async def _importer(
    client: Client, settings: Settings, *, au_repos: bool = False
) -> AsyncIterator[list[str]]:
    """Import N people of a fresh file; the parcours it opened, once each is projected (and,
    ``au_repos``, once each armed its vigie: its opening is over), the worker still running."""
    queue = f"import-{uuid.uuid4()}"
    engine = make_engine(settings.effective_database_url)
    await create_schema(engine)
    sessions = session_factory(engine)
    async with sessions() as session:
        if await session.get(Compte, "coord-ouverture") is None:
            session.add(_coordinatrice())
            await session.commit()
    prefixe = "Ouv" + uuid.uuid4().hex[:6].upper()
    demande = DemandeImport(source="caf", nom_fichier="liste.xlsx", contenu="-")
    lignes = fichiers.personnes(N, prefixe)
    for ligne in lignes:  # allocataires the CAF knows (the simulator refuses numbers in 9…)
        ligne[0] = "1" + ligne[0][1:]
    async with sessions() as session:
        imp = await service.preparer(
            session,
            demande,
            fichiers.xlsx(lignes),
            auteur=COORD,
            territoire=Territoire.BASSIN_ANNECIEN,
            jour=date.today(),
        )
    try:
        async with running_worker(client, settings, task_queue=queue):
            async with sessions() as session:
                await service.confirmer(session, client, imp, queue)
            await attendre(lambda: _fini(sessions, imp.id, prefixe), "import fini", delai_s=120)
            async with sessions() as session:
                q = select(ImportLigneRow.parcours_id).where(
                    ImportLigneRow.import_id == imp.id, col(ImportLigneRow.resultat) == "ouvert"
                )
                pids = [str(p) for p in (await session.exec(q)).all()]
            for pid in pids if au_repos else []:
                await attendre(partial(_arme, client, pid), "vigie armée", delai_s=60)
            yield pids
    finally:
        await engine.dispose()


async def _arme(client: Client, pid: str) -> bool:
    return (await ouverture(client, parcours_workflow_id(pid))).minuteries > 0


async def _fini(sessions: SessionFactory, import_id: str, prefixe: str) -> bool:
    async with sessions() as session:
        imp = await session.get(ImportRow, import_id)
        q = select(ParcoursRow.id).where(col(ParcoursRow.nom).istartswith(prefixe))
        projetes = len((await session.exec(q)).all())
    return imp is not None and imp.statut == "termine" and projetes == N
