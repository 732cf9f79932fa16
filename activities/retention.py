"""Anonymisation of closed parcours past their retention delay: their Temporal histories are
deleted, their read-model rows keep only what the statistics need."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, delete, select
from temporalio import activity
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import DeleteWorkflowExecutionRequest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from schemas.retention import BilanAnonymisation, DemandeAnonymisation
from store.anonymisation import ANONYME, details_anonymes, etat_anonyme, naissance_anonyme
from store.db import SessionFactory, ecriture
from store.evenements_partenaires import EvenementRecu
from store.parcours import AccesRow, AccesUsagerRow, EvenementRow, IdentifiantRow, ParcoursRow

LOT = 50


class RetentionActivities:
    def __init__(self, sessions: SessionFactory, temporal: Client, delai_jours: int) -> None:
        self.sessions, self.temporal, self.delai_jours = sessions, temporal, delai_jours

    @activity.defn(name="retention.anonymiser")
    async def anonymiser(self, demande: DemandeAnonymisation) -> BilanAnonymisation:
        delai = self.delai_jours if demande.delai_jours is None else demande.delai_jours
        limite = demande.jour - timedelta(days=delai)
        async with self.sessions() as session:
            rows = (
                await session.exec(
                    select(ParcoursRow)
                    .where(
                        col(ParcoursRow.clos_le) <= limite, col(ParcoursRow.anonymise).is_(False)
                    )
                    .limit(LOT)
                )
            ).all()
        anonymises, supprimes = [], 0
        for row in rows:
            activity.heartbeat(row.id)
            supprimes += await self._supprimer_historiques(row)
            await self._anonymiser_lignes(row.id)
            anonymises.append(row.id)
        return BilanAnonymisation(anonymises=anonymises, historiques_supprimes=supprimes)

    async def _supprimer_historiques(self, row: ParcoursRow) -> int:
        """Every run of the parcours and of its children (histories hold personal data)."""
        ids = [f"parcours-{row.id}"]
        etat = row.etat
        for cle in ("contrat", "emploi"):
            if etat.get(cle):
                ids.append(etat[cle]["workflow_id"])
        for cle in ("contrats_passes", "emplois_passes", "pmsmp"):
            ids += [x["workflow_id"] for x in etat.get(cle) or [] if x.get("workflow_id")]
        count = 0
        for workflow_id in ids:
            async for execution in self.temporal.list_workflows(f"WorkflowId = '{workflow_id}'"):
                try:
                    await self.temporal.workflow_service.delete_workflow_execution(
                        DeleteWorkflowExecutionRequest(
                            namespace=self.temporal.namespace,
                            workflow_execution=WorkflowExecution(
                                workflow_id=workflow_id, run_id=execution.run_id
                            ),
                        )
                    )
                    count += 1
                except RPCError as err:
                    if err.status != RPCStatusCode.NOT_FOUND:
                        raise
        return count

    async def _anonymiser_lignes(self, parcours_id: str) -> None:
        async with self.sessions() as session:
            await ecriture(session)
            row = await session.get(ParcoursRow, parcours_id)
            if row is None or row.anonymise:
                return
            row.nom, row.prenom, row.referent_nom = ANONYME, "", None
            row.date_naissance = naissance_anonyme(row.date_naissance)
            row.etat = etat_anonyme(row.etat)
            row.anonymise = True
            for e in (
                await session.exec(
                    select(EvenementRow).where(EvenementRow.parcours_id == parcours_id)
                )
            ).all():
                e.libelle, e.auteur_nom, e.details = (
                    e.code,
                    e.auteur_role,
                    details_anonymes(e.details),
                )
            for recu in (
                await session.exec(
                    select(EvenementRecu).where(EvenementRecu.parcours_id == parcours_id)
                )
            ).all():
                recu.sujet, recu.data = ANONYME, {}
            for table in (IdentifiantRow, AccesRow, AccesUsagerRow):
                await session.exec(delete(table).where(col(table.parcours_id) == parcours_id))
            await session.commit()
