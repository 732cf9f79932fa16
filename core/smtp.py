"""Sending an e-mail to the SMTP server: plain (the local relay or the simulator of
``make run``), STARTTLS (port 587) or implicit TLS (SMTPS, port 465), with authentication when
an account is configured. The server's certificate is always verified (the system's
authorities, or SMTP_CA's); a password is never sent over a connection left in clear."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Literal

from core.settings import Settings

Securite = Literal["aucune", "starttls", "tls"]


@dataclass(frozen=True)
class ServeurSmtp:
    hote: str
    port: int
    securite: Securite = "aucune"
    utilisateur: str = ""
    mot_de_passe: str = ""
    autorite: Path | None = None  # a PEM file of authorities to trust instead of the system's

    @classmethod
    def depuis(cls, settings: Settings) -> ServeurSmtp:
        return cls(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_securite,
            settings.smtp_utilisateur,
            settings.smtp_mot_de_passe,
            settings.smtp_ca,
        )

    def _contexte(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.autorite) if self.autorite else None)

    def envoyer(self, message: EmailMessage) -> None:
        """Blocking (smtplib): callers run it in a thread."""
        if self.utilisateur and self.securite == "aucune":
            raise smtplib.SMTPException(
                "Authentification SMTP refusée sans chiffrement : SMTP_SECURITE=starttls ou tls"
            )
        smtp = (
            smtplib.SMTP_SSL(self.hote, self.port, timeout=10, context=self._contexte())
            if self.securite == "tls"
            else smtplib.SMTP(self.hote, self.port, timeout=10)
        )
        with smtp:
            if self.securite == "starttls":
                smtp.starttls(context=self._contexte())
            if self.utilisateur:
                smtp.login(self.utilisateur, self.mot_de_passe)
            smtp.send_message(message)
