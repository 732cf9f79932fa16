"""E-mail by SMTP, and the same message as an in-app notification for professionals.

Workflows never hold a professional's address (histories must carry as little personal data
as possible): they name ``compte:<id>`` or ``coordination:<territoire>``, resolved here from
the accounts table at sending time.
"""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage
from typing import Any

from sqlmodel import col, select
from temporalio import activity

from activities.carnet import lien, sujet
from activities.http import indisponible, refus
from activities.outbox import Outbox
from agendas.ics import NOM_DU_FICHIER, fichier_ics
from core.smtp import ServeurSmtp
from schemas.appels import AppelPartenaire, Courriel
from schemas.common import Role
from schemas.notifications import sorte
from store.comptes import Compte
from store.db import SessionFactory
from store.notifications import notifier


class DestinataireDesactive(Exception):
    """The message names an account that was deactivated since."""


class Messagerie:
    def __init__(
        self, sessions: SessionFactory, outbox: Outbox, *, serveur: ServeurSmtp, expediteur: str
    ) -> None:
        self.sessions = sessions
        self.outbox = outbox
        self.serveur, self.expediteur = serveur, expediteur

    async def destinataires(self, destinataire: str) -> tuple[list[str], list[Compte]]:
        """(addresses, accounts to notify in the app)."""
        async with self.sessions() as session:
            if destinataire.startswith("compte:"):
                compte = await session.get(Compte, destinataire.removeprefix("compte:"))
                if compte is not None and not compte.actif:
                    raise DestinataireDesactive(destinataire)
                comptes = [compte] if compte is not None else []
            elif destinataire.startswith("coordination:"):
                comptes = list(
                    (
                        await session.exec(
                            select(Compte).where(
                                Compte.role == Role.COORDINATEUR.value,
                                col(Compte.actif).is_(True),
                                Compte.territoire == destinataire.removeprefix("coordination:"),
                            )
                        )
                    ).all()
                )
            else:
                return [destinataire], []
        if not comptes:
            raise refus(f"Destinataire inconnu ou désactivé : {destinataire}")
        return [c.email for c in comptes], comptes

    @activity.defn(name="messagerie.envoyer")
    async def envoyer(self, appel: AppelPartenaire) -> dict[str, Any]:
        courriel = Courriel.model_validate(appel.donnees)
        return await self.courriel(appel.idempotence, courriel, appel.parcours_id)

    async def courriel(
        self, idempotence: str, courriel: Courriel, parcours_id: str | None = None
    ) -> dict[str, Any]:
        """Send it (and notify the accounts in the app), once per ``idempotence``: also called
        by an import for its one message to the coordination (activities/imports.py)."""
        try:
            adresses, comptes = await self.destinataires(courriel.destinataire)
        except DestinataireDesactive:
            # e.g. the former référent of a parcours handed over when their account closed:
            # nobody left to tell, and nothing for the coordination to repair
            return {"statut": "destinataire_desactive"}
        await self.notifier(idempotence, comptes, courriel, parcours_id)
        if comptes and not sorte(courriel.sorte).courriel_immediat:
            return {"statut": "notifie", "destinataires": len(comptes)}  # the digest tells
        if (deja := await self.outbox.envoi(idempotence)) is not None:
            return {"statut": "deja_envoye"} | (
                {"empreinte": deja.empreinte} if deja.empreinte else {}
            )
        texte, empreinte = courriel.texte, None
        if courriel.carnet is not None:  # the secret is drawn here, never in the workflow
            secret = await self.outbox.secret_du_lien(idempotence)
            texte, empreinte = lien(courriel.carnet, courriel.texte, secret)
        message = EmailMessage()
        message["From"] = self.expediteur
        message["To"] = ", ".join(adresses)
        message["Subject"] = courriel.sujet
        message["Message-ID"] = f"<{idempotence}@parcours.spie74>"
        message.set_content(texte + (f"\n\n{courriel.lien}" if courriel.lien else ""))
        if courriel.calendrier is not None:
            methode = "CANCEL" if courriel.calendrier.annule else "REQUEST"
            message.add_attachment(
                fichier_ics(courriel.calendrier),
                maintype="text",
                subtype="calendar",
                filename=NOM_DU_FICHIER,
                params={"method": methode},
            )
        await self.envoyer_message(message)
        await self.outbox.noter(
            idempotence,
            "courriel",
            message["To"],
            sujet(courriel.carnet) if courriel.carnet and empreinte else courriel.sujet,
            empreinte,
            parcours_id,
        )
        resultat: dict[str, Any] = {"statut": "envoye", "destinataires": len(adresses)}
        return resultat | ({"empreinte": empreinte} if empreinte else {})

    async def notifier(
        self,
        idempotence: str,
        comptes: list[Compte],
        courriel: Courriel,
        parcours: str | None = None,
    ) -> None:
        """The in-app copy: one notification per account and per message, whatever the retries."""
        for compte in comptes:
            async with self.sessions() as session:
                await notifier(
                    session,
                    cle=f"{idempotence}:{compte.id}",
                    compte_id=compte.id,
                    sorte=sorte(courriel.sorte).code,
                    titre=courriel.sujet,
                    texte=courriel.texte,
                    parcours_id=parcours,
                    lien_explicite=courriel.lien,
                )

    async def envoyer_message(self, message: EmailMessage) -> None:
        try:
            await asyncio.to_thread(self._smtp, message)
        except smtplib.SMTPRecipientsRefused as err:
            # Which addresses, and the server's words, stay out: the message becomes an
            # incident that coordinators read, and an address is a contact they may not see.
            refusees = len(err.recipients)
            raise refus(
                f"Adresse refusée par le serveur de messagerie ({refusees} destinataire"
                f"{'s' if refusees > 1 else ''})"
            ) from None
        except smtplib.SMTPResponseException as err:
            if 500 <= err.smtp_code < 600:
                raise refus(
                    f"Message refusé par le serveur de messagerie ({err.smtp_code})"
                ) from None
            raise indisponible(f"Serveur de messagerie indisponible ({err.smtp_code})") from None
        except (OSError, smtplib.SMTPException) as err:
            raise indisponible(
                f"Serveur de messagerie indisponible ({type(err).__name__})"
            ) from None

    def _smtp(self, message: EmailMessage) -> None:
        self.serveur.envoyer(message)
