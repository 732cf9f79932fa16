"""An imported parcours' first row in the read model is written by the import itself, with the
batch's outcomes (issue 16: the projection's activity and its workflow task were half of what
an opening cost): once the import says « ouvert », the parcours is in its référent's portfolio
and the coordination's lists, exactly as the workflow holds it, and a command sent with the
version read there goes through. A start refused leaves no row behind; a start that went
through before the batch could write gets its row from the workflow when the batch runs again."""

from __future__ import annotations

import secrets
import uuid
from datetime import date
from typing import Any, cast

import pytest
from sqlmodel import col, select
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import ActivityEnvironment, WorkflowEnvironment

from activities.caf import Caf
from activities.imports import ImportActivities
from activities.messagerie import Messagerie
from core.ids import parcours_workflow_id
from core.settings import Settings
from importation import service
from schemas.common import Acteur, Role, Territoire
from schemas.imports import DemandeImport, LotImport
from schemas.parcours import Accueil, ParcoursState
from services.parcours_client import CommandeImpossible, ParcoursClient
from store.db import SessionFactory, create_schema, make_engine, session_factory
from store.imports import ImportLigneRow
from store.parcours import ParcoursRow
from store.projection import etat_projete
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from tests.imports import fichiers
from tests.imports.test_import_api import CLAIRE, COORD, _termine
from worker import running_worker

COORDINATION = Acteur(
    id=COORD, nom="Anne Lefèvre", role=Role.COORDINATEUR, territoire=Territoire.BASSIN_ANNECIEN
)


async def _etat_du_workflow(client: Client, pid: str) -> ParcoursState:
    etat: ParcoursState = await client.get_workflow_handle(parcours_workflow_id(pid)).query(
        "etat_complet", result_type=ParcoursState
    )
    return etat


async def _rangees(sessions: SessionFactory, prefixe: str) -> dict[str, ParcoursRow]:
    async with sessions() as session:
        q = select(ParcoursRow).where(col(ParcoursRow.nom).istartswith(prefixe))
        return {r.id: r for r in (await session.exec(q)).all()}


async def test_au_portefeuille_des_la_fin_de_l_import_et_commande_a_sa_version(
    plateforme: Plateforme,
) -> None:
    prefixe = "Prj" + secrets.token_hex(3).upper()
    contenu = fichiers.xlsx(fichiers.personnes(3, prefixe))
    engine = make_engine(plateforme.settings.effective_database_url)
    sessions = session_factory(engine)
    try:
        async with plateforme.client(COORD) as coord, plateforme.client(CLAIRE) as claire:
            r = await coord.post(
                "/api/v1/imports", json=fichiers.demande(contenu, referent_id=CLAIRE)
            )
            assert r.status_code == 201, r.text
            import_id = r.json()["id"]
            r = await coord.post(f"/api/v1/imports/{import_id}/confirmer")
            assert r.status_code == 202, r.text
            assert (await _termine(coord, import_id))["resultats"]["ouvert"] == 3

            # No waiting: a row says « ouvert » once its parcours is in the read model.
            for qui in (claire, coord):  # the référent's portfolio, the coordination's list
                page = (await qui.get("/api/v1/parcours", params={"q": prefixe})).json()
                assert page["total"] == 3, page
            rangees = await _rangees(sessions, prefixe)
            assert {r.referent_id for r in rangees.values()} == {CLAIRE}

            # The row is the workflow's state, as its own projection would have written it.
            pid, rangee = sorted(rangees.items())[0]
            etat = await _etat_du_workflow(plateforme.env.client, pid)
            assert rangee.version == etat.version
            assert rangee.etat == etat_projete(etat)

            # A command sent with the version read in the portfolio goes through; sent again
            # with that version, it is a conflict: the versions are the workflow's.
            lue = {"If-Match": f'"{rangee.etat["version_metier"]}"'}
            url = f"/api/v1/parcours/{pid}/enregistrer-diagnostic"
            r = await claire.post(url, json=donnees.diagnostic(date.today()), headers=lue)
            assert r.status_code == 200, r.text
            r = await claire.post(url, json=donnees.diagnostic(date.today()), headers=lue)
            assert r.status_code == 409, r.text
    finally:
        await engine.dispose()


class _DemarrageRefuse:
    """Temporal, refusing to start one workflow (the engine went away for that call)."""

    def __init__(self, client: Client, refuse: str) -> None:
        self.client, self.refuse = client, refuse

    async def start_workflow(self, *args: Any, id: str, **kwargs: Any) -> Any:
        if id == self.refuse:
            raise RPCError("Temporal indisponible", RPCStatusCode.UNAVAILABLE, b"")
        return await self.client.start_workflow(*args, id=id, **kwargs)

    def get_workflow_handle(self, *args: Any, **kwargs: Any) -> Any:
        return self.client.get_workflow_handle(*args, **kwargs)


class _CafQuiRepond:
    async def lire(self, numero: str, idempotence: str) -> dict[str, Any]:
        return {"numero_allocataire": numero, "droits_rsa": "ouverts", "depuis": "2025-01-01"}


async def test_demarrage_refuse_sans_rangee_puis_reprise_du_lot(
    temporal_local: WorkflowEnvironment, settings: Settings
) -> None:
    client, queue = temporal_local.client, f"import-{uuid.uuid4()}"
    engine = make_engine(settings.effective_database_url)
    await create_schema(engine)
    sessions = session_factory(engine)
    prefixe = "Prj" + secrets.token_hex(3).upper()
    demande = DemandeImport(source="caf", nom_fichier="liste.xlsx", contenu="-")
    async with sessions() as session:
        imp = await service.preparer(
            session,
            demande,
            fichiers.xlsx(fichiers.personnes(3, prefixe)),
            auteur=COORDINATION,
            territoire=Territoire.BASSIN_ANNECIEN,
            jour=date.today(),
        )
        q = select(ImportLigneRow).where(ImportLigneRow.import_id == imp.id)
        lignes = sorted((await session.exec(q)).all(), key=lambda ligne: ligne.numero)
    premiere, refusee, deja = (str(ligne.parcours_id) for ligne in lignes)
    lot = LotImport(import_id=imp.id, numeros=[ligne.numero for ligne in lignes])

    def activites(temporal: Any) -> ImportActivities:
        parcours = ParcoursClient(cast(Client, temporal), queue)
        return ImportActivities(
            sessions, parcours, cast(Caf, _CafQuiRepond()), cast(Messagerie, None)
        )

    try:
        async with running_worker(client, settings, task_queue=queue):
            # An earlier attempt started the third parcours, then stopped before writing.
            ligne = lignes[2]
            await ParcoursClient(client, queue).demarrer(
                Accueil.model_validate(ligne.accueil),
                COORDINATION,
                parcours_id=deja,
                droits_rsa=await _CafQuiRepond().lire(str(ligne.numero), "-"),
                sans_referent_annonce=True,  # as the import opens it: nothing more to do
            )
            refus = activites(_DemarrageRefuse(client, parcours_workflow_id(refusee)))
            with pytest.raises(CommandeImpossible) as err:
                await ActivityEnvironment().run(refus.traiter_lot, lot)
            assert err.value.status == 503  # the engine is away: the batch is retried
            # What went through is written; the refused one has no row, no outcome.
            assert set(await _rangees(sessions, prefixe)) == {premiere}

            assert await ActivityEnvironment().run(activites(client).traiter_lot, lot) == 2
            rangees = await _rangees(sessions, prefixe)
            assert set(rangees) == {premiere, refusee, deja}
            etat = await _etat_du_workflow(client, deja)
            assert rangees[deja].version == etat.version  # from the workflow, not recomputed
            assert rangees[deja].etat == etat_projete(etat)
            async with sessions() as session:
                fin = select(ImportLigneRow.resultat).where(ImportLigneRow.import_id == imp.id)
                assert list((await session.exec(fin)).all()) == ["ouvert"] * 3
    finally:
        await engine.dispose()
