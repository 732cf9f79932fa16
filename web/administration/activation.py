"""Activation links: how a new account (or one whose access was reset) chooses its password.

The secret is drawn with ``secrets``; only its SHA-256 is stored. A link serves once, expires
after ``VALIDITE``, and a new link for the same account cancels the earlier ones. The
administrator never sees nor types a password.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from core.settings import Settings
from core.smtp import ServeurSmtp
from schemas.erreurs import CodeErreur
from services.audit import journaliser
from services.utilisateur import Utilisateur
from store.comptes import Compte
from store.db import ecriture
from store.structures import ActivationCompte
from web.erreurs import Refus
from web.securite.mots_de_passe import hacher

VALIDITE = timedelta(days=7)
CHEMIN = "/activation/"

Envoi = Callable[[Compte, str], Awaitable[None]]


def empreinte(jeton: str) -> str:
    return hashlib.sha256(jeton.encode()).hexdigest()


async def nouveau_lien(session: AsyncSession, compte: Compte, adresse_publique: str) -> str:
    jeton = secrets.token_urlsafe(32)
    maintenant = datetime.now(UTC)
    await ecriture(session)
    await session.exec(
        update(ActivationCompte)
        .where(
            col(ActivationCompte.compte_id) == compte.id,
            col(ActivationCompte.utilise_le).is_(None),
        )
        .values(utilise_le=maintenant)  # an earlier link stops working
    )
    session.add(
        ActivationCompte(
            empreinte=empreinte(jeton),
            compte_id=compte.id,
            cree_le=maintenant,
            expire_le=maintenant + VALIDITE,
        )
    )
    await session.commit()
    return f"{adresse_publique.rstrip('/')}{CHEMIN}{jeton}"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def lien_valide(session: AsyncSession, jeton: str) -> tuple[ActivationCompte, Compte]:
    """The link and its account; 404 in French when unknown, used or expired."""
    row = await session.get(ActivationCompte, empreinte(jeton))
    compte = await session.get(Compte, row.compte_id) if row else None
    if (
        row is None
        or compte is None
        or row.utilise_le is not None
        or _aware(row.expire_le) < datetime.now(UTC)
        or not compte.actif
    ):
        raise Refus(
            404,
            "Ce lien d'activation est inconnu, a déjà servi ou a expiré : "
            "demandez-en un nouveau à votre administrateur",
            CodeErreur.LIEN_INVALIDE,
        )
    return row, compte


async def activer(
    session: AsyncSession, jeton: str, mot_de_passe: str, adresse: str | None = None
) -> Compte:
    lu, compte = await lien_valide(session, jeton)
    await ecriture(session)
    row = await session.get(ActivationCompte, lu.empreinte)
    fiche = await session.get(Compte, compte.id)
    assert row is not None
    assert fiche is not None
    if row.utilise_le is not None:  # used meanwhile by another request
        raise Refus(404, "Ce lien d'activation a déjà servi", CodeErreur.LIEN_INVALIDE)
    row.utilise_le = datetime.now(UTC)
    fiche.mot_de_passe = hacher(mot_de_passe)
    await session.commit()
    await journaliser(
        session,
        Utilisateur.depuis_compte(fiche),
        "compte_active",
        f"compte:{fiche.id}",
        "",
        adresse,
    )
    return fiche


def envoi_par_courriel(settings: Settings) -> Envoi:
    """Sends the link by e-mail (SMTP of the settings); never logs it."""

    async def envoyer(compte: Compte, lien: str) -> None:
        message = EmailMessage()
        message["From"] = settings.mail_from
        message["To"] = compte.email
        message["Subject"] = "Votre compte sur Parcours"
        message.set_content(
            f"Bonjour {compte.nom},\n\n"
            "Un compte vous a été ouvert sur Parcours, la plateforme du SPIE de la "
            "Haute-Savoie. Pour choisir votre mot de passe et l'activer, ouvrez ce lien "
            f"(valable {VALIDITE.days} jours, une seule fois) :\n\n{lien}\n\n"
            "Si vous n'attendiez pas ce message, ignorez-le."
        )
        await asyncio.to_thread(_smtp, settings, message)

    return envoyer


def _smtp(settings: Settings, message: EmailMessage) -> None:
    ServeurSmtp.depuis(settings).envoyer(message)


async def sans_envoi(_: Compte, __: str) -> None:
    """For the command line: the link is printed instead."""


async def liens_actifs(session: AsyncSession, compte_id: str) -> int:
    rows = await session.exec(
        select(ActivationCompte).where(
            ActivationCompte.compte_id == compte_id, col(ActivationCompte.utilise_le).is_(None)
        )
    )
    return len(rows.all())
