"""Prepares a Temporal cluster for the platform (docker-compose.yml, service « temporal-setup »):
the search attributes of ``core/search_attributes.py`` and the namespace's retention
(``TEMPORAL_RETENTION_DAYS``). Idempotent: run it again after each upgrade.

    python -m deploy.preparer_temporal

Waits for the cluster (up to 5 minutes): on a first start, the server creates its namespace
only after its database schema is in place. On Temporal Cloud, search attributes and
retention are set in the Cloud console or with ``tcld`` instead.
"""

from __future__ import annotations

import asyncio
import sys
import time

from google.protobuf.duration_pb2 import Duration
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.namespace.v1 import NamespaceConfig
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest, UpdateNamespaceRequest
from temporalio.client import Client

from core import journaux
from core import search_attributes as sa
from core.settings import get_settings
from core.sortie import terminer
from core.temporal import connect

ATTENTE = 300.0


async def preparer(client: Client, retention_jours: int) -> list[str]:
    """Adds the missing search attributes and sets the retention; returns what was added."""
    ns = client.namespace
    existants = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=ns)
    )
    manquants = {
        key.name: IndexedValueType.ValueType(int(key.indexed_value_type))
        for key in sa.ALL
        if key.name not in existants.custom_attributes
    }
    if manquants:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(namespace=ns, search_attributes=manquants)
        )
    retention = Duration(seconds=retention_jours * 86400)
    actuelle = await client.workflow_service.describe_namespace(
        DescribeNamespaceRequest(namespace=ns)
    )
    if actuelle.config.workflow_execution_retention_ttl != retention:
        await client.workflow_service.update_namespace(
            UpdateNamespaceRequest(
                namespace=ns, config=NamespaceConfig(workflow_execution_retention_ttl=retention)
            )
        )
    return sorted(manquants)


async def _principal() -> int:
    settings = get_settings()
    fin = time.monotonic() + ATTENTE
    while True:
        try:
            client = await connect(settings)
            ajoutes = await preparer(client, settings.temporal_retention_days)
            break
        except Exception as err:  # not up yet, or namespace not created yet: wait and retry
            if time.monotonic() > fin:
                journaux.erreur(f"Temporal n'est pas prêt après {ATTENTE:.0f} s : {err}")
                return 1
            await asyncio.sleep(3)
    sys.stdout.write(
        f"Temporal prêt (namespace « {client.namespace} », rétention"
        f" {settings.temporal_retention_days} jours) ; attributs ajoutés :"
        f" {', '.join(ajoutes) or 'aucun'}\n"
    )
    return 0


if __name__ == "__main__":
    journaux.commande("preparer_temporal")
    terminer(asyncio.run(_principal()))
