"""Prepares a Temporal cluster for the platform (docker-compose.yml, service « temporal-setup »):
the namespace (``TEMPORAL_NAMESPACE``, created if missing: the production server image creates
none), the search attributes of ``core/search_attributes.py`` and the namespace's retention
(``TEMPORAL_RETENTION_DAYS``). Idempotent: run it again after each upgrade.

    python -m deploy.preparer_temporal

Waits for the cluster (up to 5 minutes): the server starts once its schema job is done, and a
namespace just created reaches the frontend's cache a few seconds later. On Temporal Cloud,
namespaces, search attributes and retention are set in the Cloud console or with ``tcld``.
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
from temporalio.api.workflowservice.v1 import (
    DescribeNamespaceRequest,
    RegisterNamespaceRequest,
    UpdateNamespaceRequest,
)
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from core import journaux
from core import search_attributes as sa
from core.settings import get_settings
from core.sortie import terminer
from core.temporal import connect

ATTENTE = 300.0


async def creer_namespace(client: Client, retention: Duration) -> bool:
    """Registers the client's namespace if the cluster does not know it; True if it did."""
    try:
        await client.workflow_service.describe_namespace(
            DescribeNamespaceRequest(namespace=client.namespace)
        )
        return False
    except RPCError as err:
        if err.status != RPCStatusCode.NOT_FOUND:
            raise
    try:
        await client.workflow_service.register_namespace(
            RegisterNamespaceRequest(
                namespace=client.namespace,
                description="Parcours d'insertion (plateforme Parcours)",
                workflow_execution_retention_period=retention,
            )
        )
    except RPCError as deja:  # another run registered it in between
        if deja.status != RPCStatusCode.ALREADY_EXISTS:
            raise
    return True


async def preparer(client: Client, retention_jours: int) -> list[str]:
    """Creates the namespace if missing, adds the missing search attributes and sets the
    retention; returns what was added. Right after a creation, the search attributes may be
    refused until the namespace reaches the frontend's cache: the caller retries."""
    ns = client.namespace
    retention = Duration(seconds=retention_jours * 86400)
    await creer_namespace(client, retention)
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
