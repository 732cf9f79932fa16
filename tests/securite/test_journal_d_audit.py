"""The audit log resists someone who can write the database (issue 14, item 11): entries are
chained by an HMAC whose key is not in the database, entries written before the key still
verify, and a daily anchor kept in Temporal's history reveals a truncated log — to
`make audit` and to the administrators' check."""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import delete
from sqlmodel import col, select

from core.planifications import ANCRAGE_AUDIT, ancrer_une_premiere_fois, planifier
from core.settings import DEV_AUDIT_KEY, get_settings
from schemas.audit import AncreAudit
from services.audit import journaliser, lire_ancres, verifier_chaine
from store.audit import GENESE, EntreeAudit
from store.db import SessionFactory, ecriture, make_engine, session_factory
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme


@pytest_asyncio.fixture
async def base(tmp_path: Path) -> AsyncIterator[SessionFactory]:
    from store.db import create_schema

    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'audit.db'}")
    await create_schema(engine)
    yield session_factory(engine)
    await engine.dispose()


async def _ecrire(sessions: SessionFactory, n: int) -> None:
    async with sessions() as session:
        for i in range(n):
            await journaliser(session, None, "lecture", f"parcours:{i}", "")


async def _toutes(sessions: SessionFactory) -> list[EntreeAudit]:
    async with sessions() as session:
        return list((await session.exec(select(EntreeAudit).order_by(col(EntreeAudit.id)))).all())


async def _reecrire_sans_cle(sessions: SessionFactory, depuis: int) -> None:
    """What the plain SHA-256 chain allowed whoever has the database: change entry ``depuis``
    and recompute every hash from it on."""
    async with sessions() as session:
        await ecriture(session)
        precedent = GENESE
        for entree in (await session.exec(select(EntreeAudit).order_by(col(EntreeAudit.id)))).all():
            if entree.id == depuis:
                entree.compte_id = "quelqu-un-d-autre"
            if entree.id is not None and entree.id >= depuis:
                entree.precedent = precedent
                entree.empreinte = hashlib.sha256(entree.contenu().encode()).hexdigest()
            precedent = entree.empreinte
        await session.commit()


async def test_reecrire_le_journal_sans_la_cle_est_detecte(base: SessionFactory) -> None:
    await _ecrire(base, 4)
    await _reecrire_sans_cle(base, 2)
    async with base() as session:
        etat = await verifier_chaine(session)
    assert etat.probleme is not None
    assert etat.probleme.startswith("Entrée 2 :")


async def test_tout_reecrire_comme_avant_la_cle_est_revele_par_l_ancrage(
    base: SessionFactory,
) -> None:
    """Entries written before the key verify without it: rewriting the whole log that way
    passes the chain, not the anchor, which holds the HMAC of an entry."""
    await _ecrire(base, 4)
    troisieme = (await _toutes(base))[2]
    ancre = AncreAudit(
        le=datetime.now(UTC), entree_id=troisieme.id, empreinte=troisieme.empreinte, entrees=3
    )
    await _reecrire_sans_cle(base, 1)
    async with base() as session:
        etat = await verifier_chaine(session, [ancre])
    assert etat.probleme is not None
    assert etat.probleme.startswith("Entrée 3 : différente de son ancrage du")


async def test_une_autre_cle_ne_verifie_pas_le_journal(base: SessionFactory) -> None:
    await _ecrire(base, 2)
    async with base() as session:
        assert (await verifier_chaine(session)).intact
        etat = await verifier_chaine(session, cles=[b"une-autre-cle-que-celle-du-journal"])
    assert etat.probleme == "Entrée 1 : contenu modifié après écriture"


NOUVELLE = b"nouvelle-cle-du-journal-d-audit"


async def test_apres_un_changement_de_cle_l_ancienne_verifie_encore(
    base: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _ecrire(base, 2)  # under the development key
    monkeypatch.setenv("AUDIT_KEY", f"{NOUVELLE.decode()},{DEV_AUDIT_KEY}")
    get_settings.cache_clear()
    try:
        await _ecrire(base, 2)  # under the new key
        async with base() as session:
            assert (await verifier_chaine(session)).intact
            sans_l_ancienne = await verifier_chaine(session, cles=[NOUVELLE])
    finally:
        monkeypatch.delenv("AUDIT_KEY")
        get_settings.cache_clear()
    assert sans_l_ancienne.probleme == "Entrée 1 : contenu modifié après écriture"
    troisieme = (await _toutes(base))[2]  # the new key signs
    assert troisieme.authentique([NOUVELLE])
    assert not troisieme.authentique([DEV_AUDIT_KEY.encode()])


async def test_les_entrees_d_avant_la_cle_restent_verifiables(base: SessionFactory) -> None:
    async with base() as session:  # three entries as the platform wrote them before the key
        await ecriture(session)
        precedent = GENESE
        for i in range(3):
            entree = EntreeAudit(
                le=datetime(2026, 11, 1, 9, i, tzinfo=UTC),
                compte_id="admin",
                role="administrateur",
                action="lecture",
                objet=f"parcours:{i}",
                precedent=precedent,
                empreinte="",
            )
            entree.empreinte = precedent = entree.calculer_sans_cle()
            session.add(entree)
            await session.commit()
    await _ecrire(base, 2)
    async with base() as session:
        etat = await verifier_chaine(session)
    assert (etat.intact, etat.entrees, etat.non_signees) == (True, 5, 3)

    async with base() as session:  # an unkeyed entry appended after the keyed ones
        await ecriture(session)
        entree = EntreeAudit(
            le=datetime.now(UTC),
            compte_id="admin",
            role="administrateur",
            action="lecture",
            objet="parcours:x",
            precedent=(await _toutes(base))[-1].empreinte,
            empreinte="",
        )
        entree.empreinte = entree.calculer_sans_cle()
        session.add(entree)
        await session.commit()
        etat = await verifier_chaine(session)
    assert etat.probleme is not None
    assert "sans clé après des entrées signées" in etat.probleme


async def test_un_journal_tronque_apres_son_ancrage_est_detecte(base: SessionFactory) -> None:
    await _ecrire(base, 5)
    derniere = (await _toutes(base))[-1]
    ancre = AncreAudit(
        le=datetime.now(UTC), entree_id=derniere.id, empreinte=derniere.empreinte, entrees=5
    )
    async with base() as session:
        etat = await verifier_chaine(session, [ancre])
        assert (etat.intact, etat.ancres_verifiees) == (True, 1)
        await ecriture(session)
        await session.exec(delete(EntreeAudit).where(col(EntreeAudit.id) >= 4))
        await session.commit()
        etat = await verifier_chaine(session, [ancre])
    assert etat.probleme is not None
    assert etat.probleme.startswith("Journal tronqué : l'entrée 5, ancrée le")


async def _verifier_audit(plateforme: Plateforme) -> tuple[int, str]:
    """`make audit` against the test platform's database and Temporal."""
    commande = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "web.securite.verifier_audit",
        plateforme.task_queue,
        stdout=asyncio.subprocess.PIPE,
        env={
            **os.environ,
            "DATABASE_URL": plateforme.settings.effective_database_url,
            "TEMPORAL_ADDRESS": plateforme.settings.temporal_address,
        },
    )
    sortie, _ = await commande.communicate()
    return commande.returncode or 0, sortie.decode()


async def _ancres(plateforme: Plateforme, combien: int) -> list[AncreAudit]:
    """The anchors, once Temporal's visibility lists the last one (it follows shortly)."""
    limite = asyncio.get_running_loop().time() + 30
    while asyncio.get_running_loop().time() < limite:
        ancres = await lire_ancres(plateforme.env.client, plateforme.task_queue)
        if len(ancres) >= combien:
            return ancres
        await asyncio.sleep(0.2)
    raise AssertionError("L'ancrage n'apparaît pas dans la liste des workflows de Temporal")


async def test_l_ancrage_quotidien_revele_une_troncature(plateforme: Plateforme) -> None:
    async with plateforme.client("ref-claire-martin") as claire:
        cree = await claire.post(
            "/api/v1/parcours",
            json=donnees.accueil(datetime.now(UTC).date(), nom=f"Ancre{secrets.token_hex(3)}"),
        )
        assert cree.status_code == 201, cree.text
    avant = len(await lire_ancres(plateforme.env.client, plateforme.task_queue))
    ancre = await plateforme.env.client.execute_workflow(
        "AncrageAudit",
        id=f"ancrage-audit-test-{datetime.now(UTC):%H%M%S%f}",
        task_queue=plateforme.task_queue,
        result_type=AncreAudit,
    )
    assert ancre.probleme is None
    assert ancre.entree_id is not None
    await _ancres(plateforme, avant + 1)
    code, sortie = await _verifier_audit(plateforme)
    assert code == 0, sortie
    assert "ancrages quotidiens vérifiés" in sortie

    enlevees = await _tronquer(plateforme, ancre.entree_id)  # the tail, behind the app's back
    try:
        code, sortie = await _verifier_audit(plateforme)
        assert code == 1
        assert f"Journal tronqué : l'entrée {ancre.entree_id}" in sortie
        async with plateforme.client("admin") as admin:
            verification = (await admin.get("/api/v1/audit/verification")).json()
        assert verification["intact"] is False
        assert "tronqué" in verification["probleme"]
    finally:
        await _restaurer(plateforme, enlevees)
    async with plateforme.client("admin") as admin:
        verification = (await admin.get("/api/v1/audit/verification")).json()
    assert verification["intact"] is True
    assert verification["ancrages_verifies"] >= 1


async def _tronquer(plateforme: Plateforme, depuis: int) -> list[dict[str, Any]]:
    engine = make_engine(plateforme.settings.effective_database_url)
    async with session_factory(engine)() as session:
        await ecriture(session)
        lignes = (
            await session.exec(select(EntreeAudit).where(col(EntreeAudit.id) >= depuis))
        ).all()
        enlevees = [ligne.model_dump() for ligne in lignes]
        await session.exec(delete(EntreeAudit).where(col(EntreeAudit.id) >= depuis))
        await session.commit()
    await engine.dispose()
    return enlevees


async def _restaurer(plateforme: Plateforme, lignes: list[dict[str, Any]]) -> None:
    engine = make_engine(plateforme.settings.effective_database_url)
    async with session_factory(engine)() as session:
        await ecriture(session)
        session.add_all([EntreeAudit(**ligne) for ligne in lignes])
        await session.commit()
    await engine.dispose()


async def test_le_premier_ancrage_est_fait_des_la_creation_de_la_planification(
    plateforme: Plateforme,
) -> None:
    client = plateforme.env.client
    avant = len(await lire_ancres(client, plateforme.task_queue))
    await planifier(client, ANCRAGE_AUDIT, "AncrageAudit", "30 4 * * *", plateforme.task_queue, "")
    try:
        await ancrer_une_premiere_fois(client)
        await ancrer_une_premiere_fois(client)  # a second worker start: no second anchor
        ancres = await _ancres(plateforme, avant + 1)
        description = await client.get_schedule_handle(ANCRAGE_AUDIT).describe()
        assert description.info.num_actions == 1
        assert ancres[-1].probleme is None
    finally:
        await client.get_schedule_handle(ANCRAGE_AUDIT).delete()
