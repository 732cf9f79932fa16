"""The platform's Temporal Schedules, created or updated at every worker start (idempotent)."""

from __future__ import annotations

import logging

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)

log = logging.getLogger("parcours.planifications")


async def planifier(
    client: Client, schedule_id: str, workflow: str, cron: str, task_queue: str, note: str
) -> None:
    schedule = Schedule(
        action=ScheduleActionStartWorkflow(workflow, id=schedule_id, task_queue=task_queue),
        spec=ScheduleSpec(cron_expressions=[cron], time_zone_name="Europe/Paris"),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
    )
    try:
        await client.create_schedule(schedule_id, schedule, memo={"note": note})
        log.info("Planification créée : %s (%s)", schedule_id, cron)
    except ScheduleAlreadyRunningError:

        def replace(_: ScheduleUpdateInput) -> ScheduleUpdate:
            return ScheduleUpdate(schedule=schedule)

        await client.get_schedule_handle(schedule_id).update(replace)


async def planifier_tout(client: Client, task_queue: str) -> None:
    # The observatoire's snapshots are scheduled by worker.py beside these: core imports nothing
    # above schemas (tests/core/test_couches.py).
    await planifier(
        client,
        "vigie-quotidienne",
        "VigieQuotidienne",
        "0 6 * * *",
        task_queue,
        "Revue de tous les parcours, relivraison des événements, récapitulatifs des référents",
    )
    await planifier(
        client,
        "relivraison-evenements",
        "Relivraison",
        "*/5 * * * *",
        task_queue,
        "Vérifie que le répartiteur des événements partenaires tourne (le relance sinon)",
    )
    await planifier(
        client,
        "surveillance-technique",
        "SurveillanceTechnique",
        "*/2 * * * *",
        task_queue,
        "Parcours bloqués techniquement (tâches de workflow en échec) montrés à la coordination",
    )
    await planifier(
        client,
        "anonymisation",
        "Retention",
        "0 3 * * *",
        task_queue,
        "Anonymisation des parcours clos depuis plus que le délai de conservation",
    )
    await planifier(
        client,
        ANCRAGE_AUDIT,
        "AncrageAudit",
        "30 4 * * *",
        task_queue,
        "Vérification et ancrage quotidiens du journal d'audit (dernière empreinte gardée "
        "dans l'historique Temporal)",
    )
    # --- connecteur fichiers FT/CAF ---
    await planifier(
        client,
        "import-fichiers-partenaires",
        "ImportFichiersPartenaires",
        "*/15 * * * *",
        task_queue,
        "Import des fichiers déposés par la CAF/MSA et France Travail (flux RSA, demandeurs)",
    )
    # --- connecteur Immersion Facilitée --- : daily, and once now (the subscription is idempotent)
    await planifier(
        client,
        "suivi-immersion-facilitee",
        "SuiviImmersionFacilitee",
        "20 5 * * *",
        task_queue,
        "Souscription aux rappels d'Immersion Facilitée et lecture des conventions récentes",
    )
    await client.get_schedule_handle("suivi-immersion-facilitee").trigger()
    await ancrer_une_premiere_fois(client)
    # --- connecteur data·inclusion ---
    await planifier(
        client,
        "synchronisation-data-inclusion",
        "SynchronisationDataInclusion",
        "15 2 * * *",
        task_queue,
        "Services et structures de la Haute-Savoie depuis data·inclusion dans le catalogue "
        "(disparus archivés)",
    )
    # --- offres FT et import d'entreprises ---
    await planifier(
        client,
        "import-offres-france-travail",
        "ImportOffresFranceTravail",
        "40 5 * * *",
        task_queue,
        "Offres d'emploi de la Haute-Savoie depuis l'API de France Travail (disparues fermées)",
    )


ANCRAGE_AUDIT = "ancrage-audit"


async def ancrer_une_premiere_fois(client: Client) -> None:
    """The first anchor right away rather than the next night: until it exists, the audit
    log could be rewritten whole as unkeyed entries, or truncated, unnoticed."""
    handle = client.get_schedule_handle(ANCRAGE_AUDIT)
    if (await handle.describe()).info.num_actions == 0:
        await handle.trigger()
        log.info("Premier ancrage du journal d'audit demandé")
