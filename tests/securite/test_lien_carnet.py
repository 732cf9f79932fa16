"""The carnet link's secret (issue 14, items 2 and 3): drawn with ``secrets`` by the activity
that sends it, it never enters the workflow's history or state, the read model, nor any
answer; only its SHA-256 does. Links made before (secret from ``workflow.uuid4()``) are
revoked, and the référent sends a new one with the same command."""

from __future__ import annotations

import asyncio
import re
import secrets
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from alembic import command
from sqlmodel import select

from activities.carnet import tirer_lien
from activities.outbox import Outbox
from schemas.appels import MARQUE_LIEN, LienCarnetAEnvoyer
from schemas.carnet import AccesCarnet, empreinte
from schemas.incident import OperationSortante, StatutOperation, TypeOperation
from schemas.parcours import ParcoursInput
from services.parcours_client import ParcoursClient
from store.db import create_schema, make_engine, session_factory
from store.migrations import configuration
from store.parcours import AccesUsagerRow, ParcoursRow
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from tests.securite.traces import historique_en_clair, modele_de_lecture, trouve

LIEN = re.compile(r"/carnet/([A-Za-z0-9_-]+)")


async def _attendre(quoi: Callable[[], Awaitable[Any]], message: str, delai_s: float = 30) -> Any:
    limite = asyncio.get_running_loop().time() + delai_s
    while not (trouve_ := await quoi()):
        if asyncio.get_running_loop().time() > limite:
            raise AssertionError(f"Toujours rien après {delai_s} s : {message}")
        await asyncio.sleep(0.1)
    return trouve_


async def _ouvre(plateforme: Plateforme, secret: str) -> int:
    async with httpx.AsyncClient(timeout=60, base_url=plateforme.base_url) as personne:
        return (await personne.get(f"/carnet/{secret}")).status_code


def _coordonnees() -> tuple[str, str]:
    n = secrets.randbelow(10**6)
    return f"06 {n // 10**4:02d} {n // 100 % 100:02d} {n % 100:02d} 11", f"lien.{n}@example.org"


def test_le_secret_est_tire_au_hasard_et_seule_son_empreinte_en_sort() -> None:
    carnet = LienCarnetAEnvoyer(
        lien_id="lien-1", adresse_publique="https://parcours.example/", expire_le=date.today()
    )
    texte_1, empreinte_1 = tirer_lien(carnet, f"Votre lien : {MARQUE_LIEN} .")
    texte_2, _ = tirer_lien(carnet, f"Votre lien : {MARQUE_LIEN} .")
    secret = LIEN.search(texte_1)
    assert secret is not None
    assert texte_1.startswith("Votre lien : https://parcours.example/carnet/")
    assert len(secret.group(1)) >= 43  # 256 bits
    assert empreinte_1 == empreinte(secret.group(1))
    assert texte_1 != texte_2


async def test_une_nouvelle_tentative_envoie_le_meme_lien_puis_le_secret_s_efface(
    tmp_path: Path,
) -> None:
    """A retried sending activity (the worker died after the partner took the message) sends
    the same link under the same idempotency key, so the partner drops the duplicate and the
    link the person holds is the one recorded; once sent, the secret is gone."""
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'o.db'}")
    await create_schema(engine)
    outbox = Outbox(session_factory(engine))
    try:
        premier = await outbox.secret_du_lien("op-1")
        assert await outbox.secret_du_lien("op-1") == premier
        assert await outbox.secret_du_lien("op-2") != premier
        await outbox.noter("op-1", "sms", "06", "Lien du carnet de bord", empreinte(premier), "p")
        envoi = await outbox.envoi("op-1")
        assert envoi is not None
        assert envoi.empreinte == empreinte(premier)
        restes = await modele_de_lecture(f"sqlite+aiosqlite:///{tmp_path / 'o.db'}")
        assert not trouve(restes, premier), "secret gardé après l'envoi"
    finally:
        await engine.dispose()


async def test_le_secret_n_entre_ni_dans_l_historique_ni_dans_l_etat_ni_dans_les_reponses(
    plateforme: Plateforme, simulateur: Simulateur
) -> None:
    telephone, email = _coordonnees()
    corps = donnees.accueil(date.today(), nom="Secret", telephone=telephone, email=email)
    async with plateforme.client("ref-claire-martin") as claire:
        pid = (await claire.post("/api/v1/parcours", json=corps)).json()["id"]
        r = await claire.post(
            f"/api/v1/parcours/{pid}/envoyer-lien-carnet", json={"canal": "les_deux"}
        )
        assert r.status_code == 200, r.text

    async def recus() -> list[str]:
        textes = [m["texte"] for m in await simulateur.sms(telephone=telephone)]
        textes += [str(m) for m in await simulateur.courriels(destinataire=email)]
        return [m.group(1) for t in textes if (m := LIEN.search(t))]

    liens = await _attendre(lambda: _deux(recus), "le SMS et le courriel du lien")
    assert len(set(liens)) == 2  # one secret per message
    for secret in liens:
        await _attendre(_ouvert(plateforme, secret), "le lien ouvre le carnet")

    etat = await ParcoursClient(plateforme.env.client, plateforme.task_queue).etat(pid)
    assert {a.empreinte for a in etat.acces_carnet} == {empreinte(s) for s in liens}
    envois = [o for o in etat.operations if o.type != TypeOperation.LIRE_DROITS_RSA]
    assert envois
    assert all(o.statut == StatutOperation.REUSSIE for o in envois)
    assert all(o.donnees == {} for o in envois), "payload gardé après la réussite"

    historique = await historique_en_clair(plateforme.env.client, f"parcours-{pid}")
    assert empreinte(liens[0]) in historique  # decrypted: the right place was searched
    assert not [s for s in liens if s in historique], "secret du lien dans l'historique"
    assert not trouve(await modele_de_lecture(plateforme.settings.effective_database_url), *liens)
    for compte in ("ref-claire-martin", "coord-bassin_annecien", "admin"):
        async with plateforme.client(compte) as qui:
            for chemin in (
                f"/api/v1/parcours/{pid}",
                f"/parcours/{pid}",
                f"/parcours/{pid}/carnet",
            ):
                texte = (await qui.get(chemin)).text
                assert not [s for s in liens if s in texte], f"{compte} lit le lien sur {chemin}"


async def _deux(recus: Callable[[], Awaitable[list[str]]]) -> list[str] | None:
    liens = await recus()
    return liens if len(liens) >= 2 else None


def _ouvert(plateforme: Plateforme, secret: str) -> Callable[[], Awaitable[bool]]:
    async def ouvert() -> bool:
        return await _ouvre(plateforme, secret) == 200

    return ouvert


async def test_les_liens_d_avant_sont_revoques_et_le_referent_en_renvoie_un(
    plateforme: Plateforme, simulateur: Simulateur
) -> None:
    """A parcours carried over with a link made the old way (its secret in the state's
    operations): the link is revoked as the run starts, its message emptied, and the
    référent's new link works."""
    telephone, email = _coordonnees()
    corps = donnees.accueil(date.today(), nom="Ancien", telephone=telephone, email=email)
    temporal = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    async with plateforme.client("ref-claire-martin") as claire:
        modele = (await claire.post("/api/v1/parcours", json=corps)).json()["id"]
        etat = await temporal.etat(modele)
        vieux, pid = secrets.token_hex(32), str(uuid.uuid4())
        ancien = etat.model_copy(
            update={
                "parcours_id": pid,
                "acces_carnet": [
                    AccesCarnet(
                        id="lien-1",
                        empreinte=empreinte(vieux),
                        cree_le=datetime.now(UTC),
                        expire_le=date.today() + timedelta(days=30),
                    )
                ],
                "operations": [
                    OperationSortante(
                        id=str(uuid.uuid4()),
                        type=TypeOperation.ENVOYER_SMS,
                        donnees={
                            "telephone": telephone,
                            "texte": f"Lien : http://x/carnet/{vieux}",
                        },
                        statut=StatutOperation.REUSSIE,
                        creee_le=datetime.now(UTC),
                    )
                ],
                "compteurs": {**etat.compteurs, "lien": 1},
            }
        )
        handle = await plateforme.env.client.start_workflow(
            "Parcours",
            ParcoursInput(parcours_id=pid, etat=ancien),
            id=f"parcours-{pid}",
            task_queue=plateforme.task_queue,
        )
        await handle.execute_update("etat_initial")
        repris = await temporal.etat(pid)
        assert [a.revoque for a in repris.acces_carnet] == [True]
        assert repris.operations[0].donnees == {}
        assert "liens_carnet_anciens_revoques" in [e.code for e in repris.timeline]
        assert await _attendre(lambda: _revoque(plateforme, pid), "lien révoqué projeté")
        assert await _ouvre(plateforme, vieux) == 404

        r = await claire.post(f"/api/v1/parcours/{pid}/envoyer-lien-carnet", json={"canal": "sms"})
        assert r.status_code == 200, r.text

    async def nouveau() -> str | None:
        textes = [m["texte"] for m in await simulateur.sms(telephone=telephone)]
        return next((m.group(1) for t in textes if (m := LIEN.search(t))), None)

    secret = await _attendre(nouveau, "SMS du nouveau lien")
    await _attendre(_ouvert(plateforme, secret), "le nouveau lien ouvre")


async def _revoque(plateforme: Plateforme, pid: str) -> bool:
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            rows = (
                await session.exec(select(AccesUsagerRow).where(AccesUsagerRow.parcours_id == pid))
            ).all()
    finally:
        await engine.dispose()
    return bool(rows) and all(r.revoque for r in rows)


async def test_un_lien_en_route_pendant_une_revocation_est_revoque(
    plateforme: Plateforme, simulateur: Simulateur
) -> None:
    """« Désactiver les liens » also covers the link still on its way to the person."""
    telephone, email = _coordonnees()
    corps = donnees.accueil(date.today(), nom="Route", telephone=telephone, email=email)
    async with plateforme.client("ref-claire-martin") as claire:
        pid = (await claire.post("/api/v1/parcours", json=corps)).json()["id"]
        lien = f"/api/v1/parcours/{pid}/envoyer-lien-carnet"
        assert (await claire.post(lien, json={"canal": "sms"})).status_code == 200

        async def recus() -> list[str]:
            textes = [m["texte"] for m in await simulateur.sms(telephone=telephone)]
            return [m.group(1) for t in textes if (m := LIEN.search(t))]

        await _attendre(recus, "le premier lien")
        await simulateur.mode("sms", "lent", delai_s=3)
        try:
            assert (await claire.post(lien, json={"canal": "sms"})).status_code == 200
            r = await claire.post(
                f"/api/v1/parcours/{pid}/revoquer-liens-carnet", json={"motif": "Téléphone volé"}
            )
            assert r.status_code == 200, r.text
            second = await _attendre(
                lambda: _deux(recus), "le second lien, arrivé après la révocation"
            )
        finally:
            await simulateur.mode("sms", "normal")

    temporal = ParcoursClient(plateforme.env.client, plateforme.task_queue)

    async def remis() -> bool:
        return len((await temporal.etat(pid)).acces_carnet) == 2

    await _attendre(remis, "le second lien noté dans l'état")
    assert all(a.revoque for a in (await temporal.etat(pid)).acces_carnet)
    await _attendre(lambda: _revoque(plateforme, pid), "liens révoqués projetés")
    assert [await _ouvre(plateforme, s) for s in second] == [404, 404]


async def test_la_migration_vide_les_envois_gardes_dans_le_modele_de_lecture(
    tmp_path: Path,
) -> None:
    """Rows projected before the change held the carnet's message in clear: migration 0005
    empties the payloads of their operations."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
    engine = make_engine(url)

    def vers_0004(conn: Any) -> None:  # the revision before this one
        command.upgrade(configuration(conn), "0004")

    try:
        async with engine.begin() as conn:
            await conn.run_sync(vers_0004)
        vieux = secrets.token_hex(32)
        operation = {"id": "op-1", "type": "envoyer_sms", "statut": "reussie"}
        jour = date.today()
        async with session_factory(engine)() as session:
            session.add(
                ParcoursRow(
                    id="p-1",
                    version=1,
                    reference="P-1",
                    nom="Migration",
                    prenom="Inès",
                    date_naissance=date(1990, 1, 2),
                    commune="Annecy",
                    territoire="bassin_annecien",
                    phase="accueil",
                    phase_depuis=jour,
                    statut="actif",
                    derniere_interaction=jour,
                    ouvert_le=jour,
                    etat={
                        "operations": [
                            operation | {"donnees": {"texte": f"https://x/carnet/{vieux}"}}
                        ]
                    },
                    mis_a_jour=datetime.now(UTC),
                )
            )
            await session.commit()
        await create_schema(engine)
        restes = await modele_de_lecture(url)
        assert not trouve(restes, vieux)
        assert trouve(restes, "op-1")  # the operation stays, without its payload
    finally:
        await engine.dispose()
