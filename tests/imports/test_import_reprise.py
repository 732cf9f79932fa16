"""An import interrupted by stopping its worker finishes with a new worker, and opens no
parcours twice (issue 16, item 2: the import survives a worker restart)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import date

from sqlmodel import col, select
from temporalio.testing import WorkflowEnvironment

from core.settings import Settings
from importation import service
from schemas.common import Acteur, Role, Territoire
from schemas.imports import DemandeImport
from store.db import create_schema, make_engine, session_factory
from store.imports import ImportRow
from store.parcours import ParcoursRow
from tests.fixtures.simulateur import Simulateur
from tests.imports import fichiers
from tests.partenaires.outils import attendre
from worker import running_worker

N = 60
COORD = Acteur(
    id="coord-bassin_annecien",
    nom="Anne Lefèvre",
    role=Role.COORDINATEUR,
    territoire=Territoire.BASSIN_ANNECIEN,
)


async def test_import_repris_apres_l_arret_du_worker(
    temporal_local: WorkflowEnvironment, settings: Settings, simulateur: Simulateur
) -> None:
    client, queue = temporal_local.client, f"import-{uuid.uuid4()}"
    engine = make_engine(settings.effective_database_url)
    await create_schema(engine)
    sessions = session_factory(engine)
    prefixe = "Rep" + uuid.uuid4().hex[:6].upper()
    demande = DemandeImport(source="caf", nom_fichier="liste.xlsx", contenu="-")
    async with sessions() as session:
        imp = await service.preparer(
            session,
            demande,
            fichiers.xlsx(fichiers.personnes(N, prefixe)),
            auteur=COORD,
            territoire=Territoire.BASSIN_ANNECIEN,
            jour=date.today(),
        )

    async def bilan() -> service.Bilan:
        async with sessions() as session:
            ligne = await session.get(ImportRow, imp.id)
            assert ligne is not None
            return await service.bilan(session, ligne)

    # Stop while every lot is under way: a lot reads its people's CAF rights (5 at a time)
    # before opening their parcours, so with a CAF answering in 3 s each lot needs 12 s
    # before its first opening. Stopping on the CAF's first request is therefore always
    # mid-import, however fast the machine: stopping on « 5 parcours opened » was not, since
    # an import opening a parcours in one workflow task had finished all 60 by then.
    await simulateur.mode("caf", "lent", delai_s=3)
    async with running_worker(client, settings, task_queue=queue):
        async with sessions() as session:
            await service.confirmer(session, client, imp, queue)
        await attendre(lambda: _caf_appelee(simulateur), "première lecture CAF", delai_s=120)
    arret = await bilan()  # the worker is stopped, mid-import
    assert arret.statut == "en_cours"
    assert arret.faits < N
    await simulateur.mode("caf", "normal")

    async with running_worker(client, settings, task_queue=queue):
        fin = await attendre(lambda: _termine(bilan), "import terminé", delai_s=240)
        assert fin.resultats["ouvert"] == N

        async def projetes() -> list[str] | None:
            async with sessions() as session:
                q = select(ParcoursRow.cle_identite).where(
                    col(ParcoursRow.nom).istartswith(prefixe)
                )
                cles = [str(c) for c in (await session.exec(q)).all()]
            return cles if len(cles) >= N else None

        cles = await attendre(projetes, "parcours au modèle de lecture", delai_s=120)
    assert len(cles) == N
    assert Counter(cles).most_common(1)[0][1] == 1  # each person once
    await engine.dispose()


Bilan = Callable[[], Awaitable[service.Bilan]]


async def _caf_appelee(simulateur: Simulateur) -> bool:
    return bool(await simulateur.recus(partenaire="caf"))


async def _termine(bilan: Bilan) -> service.Bilan | None:
    b = await bilan()
    return b if b.statut == "termine" else None
