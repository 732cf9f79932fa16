"""Key rotation of the payload codec, on a real Temporal server and a real worker: each payload
names its key; a history written with key A is continued by a worker configured « B,A » (B
now encrypts, A still decrypts); a failure's message is encrypted too, unreadable without the
key. Without the old key, the old history cannot be read — which is why it must stay listed."""

from __future__ import annotations

import asyncio
import base64
import os
import secrets
import uuid
from datetime import date

import pytest
from google.protobuf.message import Message
from temporalio.api.common.v1 import Payload
from temporalio.api.failure.v1 import Failure
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.exceptions import ApplicationError

from core.codec import ENCODING, KEY_ID, CodecKeyError, EncryptionCodec, parse_keys
from core.temporal import data_converter
from schemas.carnet import CanalLien, EnvoiLienCarnet
from schemas.parcours import ParcoursInput
from schemas.rdv import Contact, ModeContact
from services.parcours_client import ParcoursClient
from tests import factories
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from tests.partenaires.outils import RAPIDE
from worker import running_worker


def _cle(nom: str) -> str:
    return f"{nom}:{base64.b64encode(os.urandom(32)).decode()}"


A, B = _cle("cle-2025"), _cle("cle-2026")


async def test_chaque_donnee_nomme_sa_cle_et_la_rotation_garde_l_ancienne() -> None:
    clair = Payload(metadata={"encoding": b"json/plain"}, data='"Inès Lien"'.encode())
    (avec_a,) = await EncryptionCodec.from_spec(A).encode([clair])
    assert avec_a.metadata["encoding"] == ENCODING
    assert avec_a.metadata[KEY_ID] == b"cle-2025"
    assert "Inès".encode() not in avec_a.data

    rotation = EncryptionCodec.from_spec(f"{B},{A}")
    (avec_b,) = await rotation.encode([clair])
    assert avec_b.metadata[KEY_ID] == b"cle-2026"  # the first key encrypts
    assert await rotation.decode([avec_a, avec_b]) == [clair, clair]  # both still read

    with pytest.raises(CodecKeyError, match="Clé de chiffrement inconnue : « cle-2025 »"):
        await EncryptionCodec.from_spec(B).decode([avec_a])
    altere = Payload(metadata=avec_a.metadata, data=avec_a.data[:-1] + b"\x00")
    with pytest.raises(CodecKeyError, match="altérée"):
        await rotation.decode([altere])


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "Aucune clé"),
        ("sans-deux-points", "mal formée"),
        ("k:pas du base64!", "base64"),
        (f"k:{base64.b64encode(b'court').decode()}", "16, 24 ou 32 octets"),
        (f"{A},{A}", "deux fois"),
    ],
)
def test_une_configuration_de_cles_inutilisable_est_refusee(spec: str, message: str) -> None:
    with pytest.raises(CodecKeyError, match=message):
        parse_keys(spec)


async def test_un_message_d_echec_est_chiffre_lui_aussi() -> None:
    echec = Failure()
    erreur = ApplicationError("Appel refusé pour Inès Lien, 06 55 44 33 22", type="partenaire")
    await data_converter(A).encode_failure(erreur, echec)  # what the worker and client do
    brut = echec.SerializeToString()
    assert b"06 55 44 33 22" not in brut
    assert "Inès".encode() not in brut
    assert echec.message == "Encoded failure"
    assert echec.encoded_attributes.metadata[KEY_ID] == b"cle-2025"

    copie = Failure()
    copie.CopyFrom(echec)
    lu = await data_converter(f"{B},{A}").decode_failure(copie)
    assert isinstance(lu, ApplicationError)
    assert lu.message == "Appel refusé pour Inès Lien, 06 55 44 33 22"
    with pytest.raises(CodecKeyError, match="cle-2025"):
        await data_converter(B).decode_failure(echec)


async def _client(plateforme: Plateforme, cles: str | None) -> Client:
    return await Client.connect(
        plateforme.env.client.service_client.config.target_host,
        namespace=plateforme.env.client.namespace,
        data_converter=data_converter(cles) if cles else pydantic_data_converter,
    )


async def _ids_de_cle(client: Client, workflow_id: str) -> list[bytes]:
    """The key id of every encrypted payload of the history, in order."""
    ids = []
    async for event in client.get_workflow_handle(workflow_id).fetch_history_events():
        for p in _payloads(event):
            assert p.metadata["encoding"] == ENCODING, event
            ids.append(p.metadata[KEY_ID])
    return ids


def _payloads(message: Message) -> list[Payload]:
    """Every payload nested in a history event (inputs, results, headers, failures), but the
    search attributes — Temporal indexes those in clear, so they never hold personal data —
    and the markers of ``workflow.patched``: the SDK's core writes them itself, outside the
    codec, and they only name a change of the code (« minuterie-jamais-annulee »)."""
    if isinstance(message, Payload):
        return [message]
    if _marqueur_de_version(message):
        return []
    found = []
    for champ, valeur in message.ListFields():
        if champ.name == "search_attributes" or champ.type != champ.TYPE_MESSAGE:
            continue
        if champ.message_type is not None and champ.message_type.GetOptions().map_entry:
            valeurs = list(valeur.values())
        elif champ.is_repeated:
            valeurs = list(valeur)
        else:
            valeurs = [valeur]
        for v in valeurs:
            if isinstance(v, Message):
                found += _payloads(v)
    return found


def _marqueur_de_version(message: Message) -> bool:
    attributs = getattr(message, "marker_recorded_event_attributes", None)
    return (
        attributs is not None
        and message.HasField("marker_recorded_event_attributes")
        and attributs.marker_name == "core_patch"
    )


async def test_un_historique_ecrit_avec_a_se_poursuit_avec_b_a(plateforme: Plateforme) -> None:
    file = f"rotation-{uuid.uuid4()}"
    accueil = factories.accueil_rsa(date.today(), telephone="06 55 44 33 21")
    nom = "Rotation" + secrets.token_hex(3).upper()
    accueil = accueil.model_copy(update={"usager": accueil.usager.model_copy(update={"nom": nom})})

    avant = await _client(plateforme, A)
    async with running_worker(avant, plateforme.settings, task_queue=file):
        pid = (await ParcoursClient(avant, file).ouvrir(accueil, factories.CLAIRE)).parcours_id
    workflow_id = f"parcours-{pid}"
    sans_cle = await _client(plateforme, None)
    avant_rotation = await _ids_de_cle(sans_cle, workflow_id)
    assert avant_rotation
    assert set(avant_rotation) == {b"cle-2025"}

    # The rotation: the worker is restarted with « B,A ». It has nothing cached, so it replays
    # the history written with A before it can take the next command.
    apres = await _client(plateforme, f"{B},{A}")
    contact = Contact(le=date.today(), mode=ModeContact.TELEPHONE, objet="Après la rotation")
    async with running_worker(apres, plateforme.settings, task_queue=file, cache=0):
        state = await ParcoursClient(apres, file).commander(
            pid, "enregistrer_contact", contact, factories.CLAIRE
        )
        assert state.usager.nom == nom.upper() or state.usager.nom == nom
        assert state.timeline[-1].code == "contact"
        await asyncio.sleep(0.5)  # the workflow task that answered is completed in history
    ids = await _ids_de_cle(sans_cle, workflow_id)
    assert ids[: len(avant_rotation)] == avant_rotation  # history is immutable: A stays
    assert b"cle-2026" in ids[len(avant_rotation) :]  # what came after is sealed with B

    # Without A, the beginning of the history cannot be read any more.
    histoire = sans_cle.get_workflow_handle(workflow_id).fetch_history_events()
    debut = await anext(aiter(histoire))
    entree = debut.workflow_execution_started_event_attributes.input.payloads
    seulement_b = await _client(plateforme, B)
    with pytest.raises(CodecKeyError, match="cle-2025"):
        await seulement_b.data_converter.decode(entree, [ParcoursInput])
    (lu,) = await apres.data_converter.decode(entree, [ParcoursInput])
    assert lu.accueil.usager.nom in (nom, nom.upper())


async def test_dans_l_historique_les_echecs_sont_illisibles_sans_la_cle(
    plateforme: Plateforme, simulateur: Simulateur
) -> None:
    """The SMS gateway down: the failed call is in the history, its message encrypted."""
    telephone = f"06 {secrets.randbelow(100):02d} 44 33 20"
    accueil = factories.accueil_rsa(date.today(), telephone=telephone)
    client = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    pid = (await client.ouvrir(accueil, factories.CLAIRE, politique_appels=RAPIDE)).parcours_id
    await simulateur.mode("sms", "panne")
    await client.commander(
        pid,
        "envoyer_lien_carnet",
        EnvoiLienCarnet(canal=CanalLien.SMS, adresse_publique=plateforme.base_url),
        factories.CLAIRE,
    )
    sans_cle = await _client(plateforme, None)
    handle = sans_cle.get_workflow_handle(f"parcours-{pid}")

    async def echecs() -> list[Failure]:
        found = []
        async for event in handle.fetch_history_events():
            if event.HasField("activity_task_failed_event_attributes"):
                found.append(event.activity_task_failed_event_attributes.failure)
        return found

    limite = asyncio.get_running_loop().time() + 20
    while not (trouves := await echecs()):
        assert asyncio.get_running_loop().time() < limite, "aucun échec d'appel dans l'historique"
        await asyncio.sleep(0.2)
    brut = b"".join([e.SerializeToString() async for e in handle.fetch_history_events()])
    assert telephone.encode() not in brut
    echec = trouves[0]
    assert echec.message == "Encoded failure"
    assert echec.encoded_attributes.metadata["encoding"] == ENCODING
    lu = await plateforme.env.client.data_converter.decode_failure(echec)
    assert "Passerelle SMS est en erreur (503)" in str(lu)  # readable with the key
    assert b"Passerelle SMS" not in brut  # and only with it
