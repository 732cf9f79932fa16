"""In-app notifications, and the outbox that makes every e-mail or SMS go out once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, and_, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from schemas.notifications import AUTRE, SORTES, Sorte, lien
from store.db import ecriture


class Notification(SQLModel, table=True):
    __tablename__ = "notification"

    id: int | None = Field(default=None, primary_key=True)
    cle: str = Field(unique=True, description="Clé d'idempotence : une notification par fait")
    compte_id: str = Field(index=True, foreign_key="compte.id")
    cree_le: datetime
    titre: str
    texte: str
    lien: str | None = None
    lue: bool = False
    parcours_id: str | None = Field(
        default=None, index=True, description="Le parcours concerné (anonymisation)"
    )
    sorte: str | None = Field(
        default=None, description="Sorte déclarée dans schemas/notifications.py (None : autre)"
    )


class PreferenceNotification(SQLModel, table=True):
    """An account's choice for one kind, when it differs from the kind's defaults."""

    __tablename__ = "preference_notification"

    compte_id: str = Field(primary_key=True, foreign_key="compte.id")
    sorte: str = Field(primary_key=True)
    dans_application: bool
    recapitulatif: bool


class Envoi(SQLModel, table=True):
    """One row per message actually handed to the SMTP server or the SMS gateway."""

    __tablename__ = "envoi"

    idempotence: str = Field(primary_key=True)
    canal: str
    destinataire: str
    sujet: str
    envoye_le: datetime
    parcours_id: str | None = Field(
        default=None, index=True, description="Le parcours concerné (anonymisation)"
    )
    empreinte: str | None = Field(
        default=None, description="Lien du carnet : l'empreinte de son secret, jamais le secret"
    )


class LienEnAttente(SQLModel, table=True):
    """The secret of a carnet link drawn by a sending activity, kept only until the message is
    sent: a retried attempt sends the same link under the same idempotency key (the partner
    drops the duplicate), then the row goes. Only its fingerprint stays, in ``envoi``."""

    __tablename__ = "lien_carnet_en_attente"

    idempotence: str = Field(primary_key=True)
    secret: str
    cree_le: datetime


# --- what the centre reads and writes -----------------------------------------------------


async def notifier(
    session: AsyncSession,
    *,
    cle: str,
    compte_id: str,
    sorte: str,
    titre: str,
    texte: str,
    parcours_id: str | None = None,
    objet: str | None = None,
    lien_explicite: str | None = None,
) -> bool:
    """Write one notification, once per ``cle`` however often the caller retries; its link is
    the kind's unless one is given. False when an earlier attempt already wrote it. Commits."""
    assert sorte in SORTES, f"Sorte de notification non déclarée : {sorte}"
    await ecriture(session)
    session.add(
        Notification(
            cle=cle,
            compte_id=compte_id,
            cree_le=datetime.now(UTC),
            titre=titre,
            texte=texte,
            lien=lien_explicite or lien(sorte, parcours_id, objet),
            parcours_id=parcours_id,
            sorte=sorte,
        )
    )
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        return False
    return True


@dataclass(frozen=True)
class Preference:
    sorte: Sorte
    dans_application: bool
    recapitulatif: bool


async def preferences(session: AsyncSession, compte_id: str) -> list[Preference]:
    """Every declared kind, with the account's choice or the kind's defaults."""
    choisies = {
        p.sorte: p
        for p in (
            await session.exec(
                select(PreferenceNotification).where(PreferenceNotification.compte_id == compte_id)
            )
        ).all()
    }
    out = []
    for s in SORTES.values():
        p = choisies.get(s.code)
        out.append(
            Preference(
                s,
                p.dans_application if p else s.dans_application,
                p.recapitulatif if p else s.recapitulatif,
            )
        )
    return out


async def enregistrer_preferences(
    session: AsyncSession, compte_id: str, dans_application: set[str], recapitulatif: set[str]
) -> None:
    await ecriture(session)
    for s in SORTES.values():
        p = await session.get(PreferenceNotification, (compte_id, s.code))
        if p is None:
            p = PreferenceNotification(
                compte_id=compte_id, sorte=s.code, dans_application=True, recapitulatif=False
            )
        p.dans_application = s.code in dans_application
        p.recapitulatif = s.code in recapitulatif
        session.add(p)
    await session.commit()


async def sortes_visibles(session: AsyncSession, compte_id: str) -> list[str]:
    return [p.sorte.code for p in await preferences(session, compte_id) if p.dans_application]


def _visibles(compte_id: str, sortes: list[str]) -> ColumnElement[bool]:
    """Rows of the account of the kinds shown in the app (no kind: « autre »)."""
    condition: ColumnElement[bool] = col(Notification.sorte).in_(sortes)
    if AUTRE in sortes:
        condition = or_(condition, col(Notification.sorte).is_(None))
    return and_(col(Notification.compte_id) == compte_id, condition)


async def non_lues(session: AsyncSession, compte_id: str) -> int:
    sortes = await sortes_visibles(session, compte_id)
    requete = select(func.count()).select_from(Notification)
    requete = requete.where(_visibles(compte_id, sortes), col(Notification.lue).is_(False))
    return int((await session.exec(requete)).one())


async def recentes(
    session: AsyncSession, compte_id: str, limite: int = 50, decalage: int = 0
) -> tuple[list[Notification], int]:
    """One page of the account's notifications, unread first, then the most recent (the id
    breaks ties, so that no notification is shown on two pages or on none), and how many
    there are in all."""
    sortes = await sortes_visibles(session, compte_id)
    visibles = _visibles(compte_id, sortes)
    requete = (
        select(Notification)
        .where(visibles)
        .order_by(
            col(Notification.lue), col(Notification.cree_le).desc(), col(Notification.id).desc()
        )
        .offset(decalage)
        .limit(limite)
    )
    total = await session.exec(select(func.count()).select_from(Notification).where(visibles))
    return list((await session.exec(requete)).all()), int(total.one())


async def marquer_lue(session: AsyncSession, compte_id: str, ident: int) -> Notification | None:
    """The account's own notification, now read; None for another's or an unknown one."""
    n = await session.get(Notification, ident)
    if n is None or n.compte_id != compte_id:
        return None
    if not n.lue:
        await ecriture(session)
        n.lue = True
        session.add(n)
        await session.commit()
        await session.refresh(n)
    return n


async def tout_marquer_lu(session: AsyncSession, compte_id: str) -> None:
    await ecriture(session)
    await session.exec(
        update(Notification)
        .where(col(Notification.compte_id) == compte_id, col(Notification.lue).is_(False))
        .values(lue=True)
    )
    await session.commit()


async def a_recapituler(session: AsyncSession, compte_id: str) -> list[tuple[Sorte, int]]:
    """Unread notifications of the kinds the account wants in its e-mail digest, counted."""
    voulues = [p.sorte for p in await preferences(session, compte_id) if p.recapitulatif]
    if not voulues:
        return []
    requete = (
        select(Notification.sorte, func.count())
        .where(
            _visibles(compte_id, [s.code for s in voulues]),
            col(Notification.lue).is_(False),
        )
        .group_by(col(Notification.sorte))
    )
    nombres = {code or AUTRE: int(n) for code, n in (await session.exec(requete)).all()}
    return [(s, nombres[s.code]) for s in voulues if nombres.get(s.code)]
