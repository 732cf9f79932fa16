"""SynchronisationDataInclusion: the département's structures, then services, page by page
from data·inclusion into the catalogue; then, and only after a complete listing, what was not
listed is archived. Started by the Schedule ``synchronisation-data-inclusion`` (nightly,
core/planifications.py); a run that fails archives nothing, the next one starts over."""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from schemas.data_inclusion import (
        BilanPage,
        BilanSynchronisation,
        DemandeArchivage,
        DemandePage,
        Ressource,
    )

DEPARTEMENT = "74"
TAILLE_PAGE = 1000  # the API allows 10 000; smaller pages keep one transaction short
# An outage or a 429 is retried with the API's Retry-After, within the hour; 401 and a
# malformed body are not (non_retryable): the run fails, visible to the coordination.
REESSAIS = RetryPolicy(
    initial_interval=timedelta(seconds=10),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=10),
    maximum_attempts=8,
)


@workflow.defn(name="SynchronisationDataInclusion")
class SynchronisationDataInclusionWorkflow:
    @workflow.run
    async def run(self, taille_page: int = TAILLE_PAGE) -> BilanSynchronisation:
        marque = workflow.now()
        bilan = BilanSynchronisation()
        complet = True
        for ressource in ("structures", "services"):
            pages = await self._lister(ressource, marque, taille_page)
            complet = complet and _complet(pages)
            for page in pages:
                if ressource == "structures":
                    bilan.structures += page.recus
                    continue
                bilan.services += page.recus
                bilan.ajoutes += page.ajoutes
                bilan.mis_a_jour += page.mis_a_jour
                bilan.inchanges += page.inchanges
                bilan.reapparus += page.reapparus
                bilan.rejetes += page.rejetes
        if not complet:
            # The offer changed while we paged (offset pages shift): an item may have been
            # skipped, and archiving it would be wrong. The next run will archive.
            workflow.logger.warning("data·inclusion : liste changée pendant la lecture")
            bilan.archivage_reporte = True
            return bilan
        bilan.archives = await workflow.execute_activity(
            "data_inclusion.archiver_absents",
            DemandeArchivage(marque=marque),
            result_type=int,
            start_to_close_timeout=timedelta(minutes=5),
            retry_policy=REESSAIS,
        )
        return bilan

    async def _lister(self, ressource: Ressource, marque: datetime, taille: int) -> list[BilanPage]:
        pages: list[BilanPage] = []
        numero, derniere = 1, 1
        while numero <= derniere:
            page: BilanPage = await workflow.execute_activity(
                "data_inclusion.synchroniser_page",
                DemandePage(
                    ressource=ressource,
                    page=numero,
                    taille=taille,
                    code_departement=DEPARTEMENT,
                    marque=marque,
                ),
                result_type=BilanPage,
                start_to_close_timeout=timedelta(minutes=5),
                retry_policy=REESSAIS,
            )
            pages.append(page)
            derniere = page.pages
            numero += 1
        return pages


def _complet(pages: list[BilanPage]) -> bool:
    """Same total on every page, and as many items received as that total."""
    totaux = {p.total for p in pages}
    return len(totaux) == 1 and sum(p.recus for p in pages) == totaux.pop()
