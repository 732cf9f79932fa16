"""Cookie sessions for the cockpit and bearer tokens for machine clients.

The cookie holds a random token; the database keeps only its SHA-256, so a leaked table
cannot be replayed. Sessions end after an idle time and after an absolute lifetime.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlmodel import col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from core.settings import Settings
from services.utilisateur import Utilisateur
from store.comptes import Compte, JetonApi, SessionRow
from store.db import ecriture

COOKIE = "parcours_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
PREFIXE_JETON = "pcr_"
TOUCH_EVERY = timedelta(seconds=60)


def empreinte(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite drops the zone


async def ouvrir(
    session: AsyncSession, compte: Compte, adresse: str | None
) -> tuple[str, SessionRow]:
    token = secrets.token_urlsafe(32)
    await ecriture(session)
    row = SessionRow(
        empreinte=empreinte(token),
        compte_id=compte.id,
        csrf=secrets.token_urlsafe(24),
        cree_le=_now(),
        vu_le=_now(),
        adresse=adresse,
    )
    session.add(row)
    await session.commit()
    return token, row


async def fermer(session: AsyncSession, token: str) -> None:
    await ecriture(session)
    await session.exec(delete(SessionRow).where(col(SessionRow.empreinte) == empreinte(token)))
    await session.commit()


async def depuis_cookie(
    session: AsyncSession, token: str, settings: Settings
) -> Utilisateur | None:
    row = await session.get(SessionRow, empreinte(token))
    if row is None:
        return None
    now = _now()
    expired = now - _aware(row.vu_le) > timedelta(
        minutes=settings.session_idle_minutes
    ) or now - _aware(row.cree_le) > timedelta(hours=settings.session_max_hours)
    compte = await session.get(Compte, row.compte_id)
    if expired or compte is None or not compte.actif:
        await ecriture(session)
        row = await session.get(SessionRow, empreinte(token))
        if row is None:
            return None
        await session.delete(row)
        await session.commit()
        return None
    if now - _aware(row.vu_le) > TOUCH_EVERY:
        await ecriture(session)
        touched = await session.get(SessionRow, row.empreinte)
        if touched is not None:
            touched.vu_le = now
            await session.commit()
    return Utilisateur.depuis_compte(compte, csrf=row.csrf)


async def depuis_jeton(session: AsyncSession, token: str) -> Utilisateur | None:
    if not token.startswith(PREFIXE_JETON):
        return None
    row = await session.get(JetonApi, empreinte(token))
    if row is None or row.revoque or (row.expire_le and _aware(row.expire_le) < _now()):
        return None
    compte = await session.get(Compte, row.compte_id)
    if compte is None or not compte.actif:
        return None
    return Utilisateur.depuis_compte(compte)


async def creer_jeton(
    session: AsyncSession, compte: Compte, nom: str, duree_jours: int | None = 365
) -> str:
    token = PREFIXE_JETON + secrets.token_urlsafe(32)
    await ecriture(session)
    expire = _now() + timedelta(days=duree_jours) if duree_jours else None
    session.add(
        JetonApi(
            empreinte=empreinte(token),
            compte_id=compte.id,
            nom=nom,
            cree_le=_now(),
            expire_le=expire,
        )
    )
    await session.commit()
    return token
