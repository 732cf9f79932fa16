"""Writing and checking the HMAC-chained audit log (table and versions in store/audit.py), and
reading its daily anchors from Temporal (workflows/ancrage_audit.py)."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.client import Client

from core.settings import get_settings
from schemas.audit import AncreAudit
from services.utilisateur import Utilisateur
from store.audit import GENESE, ActionAudit, EntreeAudit
from store.db import ecriture

# One writer at a time extends the chain: the database's write lock (BEGIN IMMEDIATE on SQLite,
# a transaction lock on PostgreSQL) across processes, and in a process one lock per event loop
# (an asyncio lock belongs to one loop; the web app and a worker may run in one process, each
# with its loop, as the tests' platform does, and both write to the log since imports are
# audited).
_VERROUS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)
_PG_LOCK_ID = 74_2026

WORKFLOW_ANCRAGE = "AncrageAudit"


def cles_audit(valeur: str | None = None) -> list[bytes]:
    """The HMAC keys, from the environment (AUDIT_KEY) — never from the database. Several,
    separated by commas, when the key is changed: the first signs, every one verifies (the
    entries written under the former keys stay verifiable)."""
    texte = get_settings().audit_key if valeur is None else valeur
    return [cle.strip().encode() for cle in texte.split(",") if cle.strip()]


class Maillons:
    """Audit entries added to the caller's write transaction, each chained to the previous."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.precedent: str | None = None

    async def ajouter(
        self,
        qui: Utilisateur | None,
        action: ActionAudit,
        objet: str,
        detail: str = "",
        adresse: str | None = None,
    ) -> EntreeAudit:
        if self.precedent is None:
            last = await derniere_entree(self.session)
            self.precedent = last.empreinte if last else GENESE
        entry = EntreeAudit(
            le=datetime.now(UTC),
            compte_id=qui.id if qui else "anonyme",
            role=qui.role.value if qui else "anonyme",
            action=action,
            objet=objet,
            detail=detail[:500],
            adresse=adresse,
            precedent=self.precedent,
            empreinte="",
        )
        entry.empreinte = entry.calculer(cles_audit()[0])
        self.session.add(entry)
        self.precedent = entry.empreinte
        return entry


@asynccontextmanager
async def transaction_auditee(session: AsyncSession) -> AsyncIterator[Maillons]:
    """A write transaction holding the chain's lock: what the caller writes and the entries
    it adds are committed together by the caller (one transaction instead of two)."""
    async with _VERROUS.setdefault(asyncio.get_running_loop(), asyncio.Lock()):
        await ecriture(session)
        if session.bind is not None and session.bind.dialect.name == "postgresql":
            await session.exec(text(f"SELECT pg_advisory_xact_lock({_PG_LOCK_ID})"))  # type: ignore[call-overload]
        yield Maillons(session)


async def journaliser(
    session: AsyncSession,
    qui: Utilisateur | None,
    action: ActionAudit,
    objet: str,
    detail: str = "",
    adresse: str | None = None,
) -> EntreeAudit:
    async with transaction_auditee(session) as maillons:
        entry = await maillons.ajouter(qui, action, objet, detail, adresse)
        await session.commit()
        return entry


async def derniere_entree(session: AsyncSession) -> EntreeAudit | None:
    return (
        await session.exec(select(EntreeAudit).order_by(col(EntreeAudit.id).desc()).limit(1))
    ).first()


async def entrees(session: AsyncSession, batch: int = 1000) -> AsyncIterator[EntreeAudit]:
    last_id = 0
    while True:
        rows = (
            await session.exec(
                select(EntreeAudit)
                .where(col(EntreeAudit.id) > last_id)
                .order_by(col(EntreeAudit.id))
                .limit(batch)
            )
        ).all()
        if not rows:
            return
        for row in rows:
            yield row
        last_id = rows[-1].id or last_id


@dataclass
class EtatJournal:
    """What a check of the log found."""

    entrees: int = 0
    probleme: str | None = None
    non_signees: int = 0  # written before the key existed (plain SHA-256)
    ancres_verifiees: int = 0
    derniere: EntreeAudit | None = field(default=None, repr=False)

    @property
    def intact(self) -> bool:
        return self.probleme is None


def _probleme_d_entree(
    entry: EntreeAudit, precedent: str, deja_signe: bool, cles: list[bytes]
) -> str | None:
    if entry.precedent != precedent:
        return f"Entrée {entry.id} : chaînage rompu (entrée précédente supprimée ou modifiée)"
    if not entry.signee and deja_signe:
        return (
            f"Entrée {entry.id} : empreinte sans clé après des entrées signées "
            "(ajoutée ou réécrite hors de l'application)"
        )
    if not entry.authentique(cles):
        return f"Entrée {entry.id} : contenu modifié après écriture"
    return None


def _probleme_d_ancre(a: AncreAudit, vues: dict[int, str], derniere_id: int) -> str | None:
    assert a.entree_id is not None
    jour = a.le.astimezone(UTC).strftime("%d/%m/%Y %H:%M UTC")
    if a.entree_id > derniere_id:
        return (
            f"Journal tronqué : l'entrée {a.entree_id}, ancrée le {jour}, a disparu "
            f"(dernière entrée présente : {derniere_id or 'aucune'})"
        )
    if vues.get(a.entree_id) != a.empreinte:
        return f"Entrée {a.entree_id} : différente de son ancrage du {jour} (journal réécrit)"
    return None


async def verifier_chaine(
    session: AsyncSession, ancres: Iterable[AncreAudit] = (), cles: list[bytes] | None = None
) -> EtatJournal:
    """Check every entry's link and HMAC, then that each anchored entry is still there, the
    same: an anchor past the last entry means the log was truncated."""
    cles = cles if cles is not None else cles_audit()
    a_verifier = {a.entree_id: a for a in ancres if a.entree_id is not None}
    vues: dict[int, str] = {}
    etat, precedent, deja_signe = EtatJournal(), GENESE, False
    async for entry in entrees(session):
        entry.le = entry.le if entry.le.tzinfo else entry.le.replace(tzinfo=UTC)
        if (probleme := _probleme_d_entree(entry, precedent, deja_signe, cles)) is not None:
            etat.probleme = probleme
            return etat
        if entry.id in a_verifier:
            vues[entry.id] = entry.empreinte
        deja_signe = deja_signe or entry.signee
        etat.non_signees += not entry.signee
        precedent, etat.entrees, etat.derniere = entry.empreinte, etat.entrees + 1, entry
    derniere_id = (etat.derniere.id or 0) if etat.derniere else 0
    for entree_id in sorted(a_verifier):
        if (probleme := _probleme_d_ancre(a_verifier[entree_id], vues, derniere_id)) is not None:
            etat.probleme = probleme
            return etat
        etat.ancres_verifiees += 1
    return etat


async def lire_ancres(client: Client, task_queue: str) -> list[AncreAudit]:
    """Every anchor this deployment (its task queue) wrote, oldest first: the results of the
    completed anchoring workflows, which Temporal keeps in their histories."""
    requete = (
        f"WorkflowType = '{WORKFLOW_ANCRAGE}' AND ExecutionStatus = 'Completed' "
        f"AND TaskQueue = '{task_queue}'"
    )
    ancres = [
        await client.get_workflow_handle(wf.id, run_id=wf.run_id, result_type=AncreAudit).result()
        async for wf in client.list_workflows(requete)
    ]
    return sorted(ancres, key=lambda a: a.le)
