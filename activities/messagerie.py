"""E-mail by SMTP. Professionals are named ``compte:<id>`` by workflows (no addresses in
histories); the address is read from the accounts table at sending time."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage
from typing import Any

from temporalio import activity

from activities.http import indisponible, refus
from activities.outbox import Outbox
from schemas.appels import AppelPartenaire, Courriel
from store.comptes import Compte
from store.db import SessionFactory


class Messagerie:
    def __init__(
        self, sessions: SessionFactory, outbox: Outbox, *, host: str, port: int, expediteur: str
    ) -> None:
        self.sessions = sessions
        self.outbox = outbox
        self.host, self.port, self.expediteur = host, port, expediteur

    async def _adresse(self, destinataire: str) -> str:
        if not destinataire.startswith("compte:"):
            return destinataire
        async with self.sessions() as session:
            compte = await session.get(Compte, destinataire.removeprefix("compte:"))
        if compte is None or not compte.actif:
            raise refus(f"Destinataire inconnu ou désactivé : {destinataire}")
        return compte.email

    @activity.defn(name="messagerie.envoyer")
    async def envoyer(self, appel: AppelPartenaire) -> dict[str, Any]:
        courriel = Courriel.model_validate(appel.donnees)
        if await self.outbox.deja_envoye(appel.idempotence):
            return {"statut": "deja_envoye"}
        message = EmailMessage()
        message["From"] = self.expediteur
        message["To"] = await self._adresse(courriel.destinataire)
        message["Subject"] = courriel.sujet
        message["Message-ID"] = f"<{appel.idempotence}@parcours.spie74>"
        message.set_content(courriel.texte)
        await self.envoyer_message(message)
        await self.outbox.noter(appel.idempotence, "courriel", str(message["To"]), courriel.sujet)
        return {"statut": "envoye"}

    async def envoyer_message(self, message: EmailMessage) -> None:
        try:
            await asyncio.to_thread(self._smtp, message)
        except smtplib.SMTPRecipientsRefused as err:
            raise refus(
                f"Adresse refusée par le serveur de messagerie : {err.recipients}"
            ) from None
        except (OSError, smtplib.SMTPException) as err:
            raise indisponible(
                f"Serveur de messagerie indisponible ({type(err).__name__})"
            ) from None

    def _smtp(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            smtp.send_message(message)
