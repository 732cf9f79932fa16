"""The payload codec binds associated data (format 2): encoding, key id and the workflow the
payload belongs to, taken from Temporal's serialization context. A payload altered in its
metadata, or moved into another workflow, is refused; payloads written before format 2 still
decrypt (running parcours, saved histories); production refuses payloads not encrypted."""

from __future__ import annotations

import asyncio
import base64
import os
import uuid
from datetime import date

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import ActivitySerializationContext, WorkflowSerializationContext

from core.codec import ENCODING, FORMAT, KEY_ID, WORKFLOW_ID, CodecKeyError, EncryptionCodec
from core.settings import DEV_CODEC_KEY
from core.temporal import data_converter
from schemas.rdv import Contact, ModeContact
from services.parcours_client import ParcoursClient
from tests import factories
from tests.fixtures.plateforme import Plateforme
from tests.securite.test_rotation_des_cles import _payloads
from worker import running_worker

CLE = base64.b64encode(os.urandom(32)).decode()
SPEC = f"cle-aad:{CLE}"
CLAIR = Payload(metadata={"encoding": b"json/plain"}, data='"Inès Lien, 06 55 44 33 22"'.encode())


def _contexte(workflow_id: str) -> WorkflowSerializationContext:
    return WorkflowSerializationContext(namespace="default", workflow_id=workflow_id)


def _codec(workflow_id: str | None = None) -> EncryptionCodec:
    codec = EncryptionCodec.from_spec(SPEC)
    return codec.with_context(_contexte(workflow_id)) if workflow_id else codec


async def test_une_donnee_est_scellee_pour_son_workflow() -> None:
    (scelle,) = await _codec("parcours-a").encode([CLAIR])
    assert scelle.metadata[FORMAT] == b"2"
    assert scelle.metadata[WORKFLOW_ID] == b"parcours-a"

    assert await _codec("parcours-a").decode([scelle]) == [CLAIR]
    assert await _codec().decode([scelle]) == [CLAIR]  # the UI's /codec has no context
    activite = ActivitySerializationContext(
        namespace="default",
        activity_id="1",
        activity_type="projeter",
        activity_task_queue="parcours",
        workflow_id="parcours-a",
        workflow_type="Parcours",
        is_local=False,
    )
    assert await EncryptionCodec.from_spec(SPEC).with_context(activite).decode([scelle]) == [CLAIR]
    with pytest.raises(CodecKeyError, match="chiffrée pour le workflow « parcours-a »"):
        await _codec("parcours-b").decode([scelle])


async def test_une_planification_suffixe_l_id_de_son_workflow() -> None:
    (scelle,) = await _codec("anonymisation").encode([CLAIR])
    assert await _codec("anonymisation-2026-12-02T00:00:00Z").decode([scelle]) == [CLAIR]
    with pytest.raises(CodecKeyError, match="refusée"):
        await _codec("anonymisationX").decode([scelle])


async def test_un_tour_de_planification_lit_le_resultat_du_precedent() -> None:
    """Temporal hands each run of a schedule the previous run's result, sealed for that run;
    another schedule's, or a parcours, cannot read it."""
    (resultat,) = await _codec("relivraison-evenements-2026-12-02T23:01:05Z").encode([CLAIR])
    suivant = _codec("relivraison-evenements-2026-12-02T23:01:35Z")
    assert await suivant.decode([resultat]) == [CLAIR]
    for autre in ("vigie-quotidienne-2026-12-02T23:01:35Z", "parcours-a", "relivraison"):
        with pytest.raises(CodecKeyError, match="refusée"):
            await _codec(autre).decode([resultat])


@pytest.mark.parametrize(
    "alteration",
    [
        {WORKFLOW_ID: b"parcours-b"},  # relabelled for another workflow
        {WORKFLOW_ID: None},  # its workflow removed, to be read anywhere
        {FORMAT: None},  # passed off as a payload written before associated data
    ],
    ids=["autre-workflow", "sans-workflow", "ancien-format"],
)
async def test_des_metadonnees_alterees_rendent_la_donnee_illisible(
    alteration: dict[str, bytes | None],
) -> None:
    (scelle,) = await _codec("parcours-a").encode([CLAIR])
    metadata = dict(scelle.metadata)
    for cle, valeur in alteration.items():
        if valeur is None:
            metadata.pop(cle)
        else:
            metadata[cle] = valeur
    altere = Payload(metadata=metadata, data=scelle.data)
    with pytest.raises(CodecKeyError, match="altérée"):
        await _codec().decode([altere])


async def test_une_donnee_ecrite_avant_le_format_2_se_lit_encore() -> None:
    """As the codec sealed before: no associated data, no format in the metadata."""
    nonce = os.urandom(12)
    ancien = Payload(
        metadata={"encoding": ENCODING, KEY_ID: b"cle-aad"},
        data=nonce + AESGCM(base64.b64decode(CLE)).encrypt(nonce, CLAIR.SerializeToString(), None),
    )
    assert await _codec("parcours-a").decode([ancien]) == [CLAIR]
    assert await _codec().decode([ancien]) == [CLAIR]


async def test_en_production_une_donnee_non_chiffree_est_refusee() -> None:
    assert await data_converter(SPEC).payload_codec.decode([CLAIR]) == [CLAIR]  # type: ignore[union-attr]
    production = data_converter(SPEC, refuser_clair=True)
    with pytest.raises(CodecKeyError, match="Donnée non chiffrée refusée"):
        await production.decode([CLAIR], [str])
    (scelle,) = await production.encode(["Inès"])
    assert await production.decode([scelle], [str]) == ["Inès"]


async def test_dans_l_historique_chaque_donnee_nomme_son_workflow(plateforme: Plateforme) -> None:
    """On a real server and worker: Temporal's serialization context reaches the codec."""
    client = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    accueil = factories.accueil_rsa(date.today(), telephone="06 55 44 33 19")
    pid = (await client.ouvrir(accueil, factories.CLAIRE)).parcours_id
    # Opening carries only large payloads (its input holds the vigie's rules): a contact adds
    # small ones, sealed without compression.
    contact = Contact(le=date.today(), mode=ModeContact.TELEPHONE, objet="Appel")
    await client.commander(pid, "enregistrer_contact", contact, factories.CLAIRE)
    workflow_id = f"parcours-{pid}"
    sans_cle = await Client.connect(
        plateforme.env.client.service_client.config.target_host,
        namespace=plateforme.env.client.namespace,
        data_converter=pydantic_data_converter,
    )
    handle = sans_cle.get_workflow_handle(workflow_id)
    payloads = [p async for e in handle.fetch_history_events() for p in _payloads(e)]

    assert payloads
    assert {p.metadata[FORMAT] for p in payloads} == {b"2", b"3"}  # 3: compressed (> 1 KiB)
    assert {p.metadata.get(WORKFLOW_ID) for p in payloads} == {workflow_id.encode()}


async def test_en_production_un_signal_en_clair_est_refuse_par_le_worker(
    plateforme: Plateforme,
) -> None:
    """A production worker runs parcours normally (every payload Temporal hands it is sealed),
    but a signal sent in clear — from the Temporal UI or CLI, say — is refused: the workflow
    task fails and the parcours takes nothing from it."""
    file = f"production-{uuid.uuid4()}"
    production = await Client.connect(
        plateforme.env.client.service_client.config.target_host,
        namespace=plateforme.env.client.namespace,
        data_converter=data_converter(DEV_CODEC_KEY, refuser_clair=True),
    )
    async with running_worker(production, plateforme.settings, task_queue=file):
        client = ParcoursClient(production, file)
        accueil = factories.accueil_rsa(date.today(), telephone="06 55 44 33 18")
        pid = (await client.ouvrir(accueil, factories.CLAIRE)).parcours_id
        contact = Contact(le=date.today(), mode=ModeContact.TELEPHONE, objet="En production")
        state = await client.commander(pid, "enregistrer_contact", contact, factories.CLAIRE)
        assert state.timeline[-1].code == "contact"

        en_clair = await Client.connect(
            plateforme.env.client.service_client.config.target_host,
            namespace=plateforme.env.client.namespace,
            data_converter=pydantic_data_converter,
        )
        handle = en_clair.get_workflow_handle(f"parcours-{pid}")
        await handle.signal("un_signal_quelconque", "donnée en clair")

        async def refus() -> list[str]:
            """The failed workflow tasks' messages (encrypted too: read with the key)."""
            return [
                str(await production.data_converter.decode_failure(echec))
                async for e in handle.fetch_history_events()
                if e.HasField("workflow_task_failed_event_attributes")
                for echec in [e.workflow_task_failed_event_attributes.failure]
            ]

        limite = asyncio.get_running_loop().time() + 60
        while not (messages := await refus()):
            assert asyncio.get_running_loop().time() < limite, "le signal en clair a été accepté"
            await asyncio.sleep(0.2)
    assert any("non chiffrée" in m for m in messages), messages
