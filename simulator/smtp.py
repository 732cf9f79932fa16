"""An SMTP catcher (aiosmtpd) that keeps every message instead of delivering it.

Failure modes of the partner « messagerie » map onto SMTP answers the platform's client sorts
the same way as HTTP ones: panne → 421 at MAIL (temporary), refus → 550 at RCPT (permanent),
erreur → 451 at DATA (temporary), lent → a delay before accepting DATA."""

from __future__ import annotations

import asyncio
import socket
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from simulator.contexte import MESSAGERIE
from simulator.store import CourrielRecu, Mode, PieceJointeRecue, Store, maintenant

_ISSUE = "issue_simulee"  # attribute set on the envelope: one failure draw per transaction


def port_libre(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def _texte(message: EmailMessage) -> str:
    corps = message.get_body(preferencelist=("plain", "html"))
    if corps is None:
        return ""
    contenu = corps.get_content()
    return contenu.replace("\r\n", "\n") if isinstance(contenu, str) else ""


def _pieces_jointes(message: EmailMessage) -> list[PieceJointeRecue]:
    pieces = []
    for partie in message.iter_attachments():
        assert isinstance(partie, EmailMessage)  # policy.default
        contenu = partie.get_content()
        if isinstance(contenu, bytes):
            contenu = contenu.decode("utf-8", errors="replace")
        pieces.append(
            PieceJointeRecue(
                nom=partie.get_filename() or "",
                type=partie.get_content_type(),
                contenu=str(contenu).replace("\r\n", "\n"),
            )
        )
    return pieces


def lire_courriel(mail_from: str, rcpt_tos: list[str], contenu: bytes) -> CourrielRecu:
    message = message_from_bytes(contenu, policy=policy.default)
    assert isinstance(message, EmailMessage)  # guaranteed by policy.default
    message_id = message.get("Message-ID")
    return CourrielRecu(
        message_id=str(message_id).strip() if message_id else None,
        expediteur=str(message.get("From") or mail_from),
        destinataires=list(rcpt_tos),
        sujet=str(message.get("Subject") or ""),
        texte=_texte(message),
        recu_le=maintenant(),
        pieces_jointes=_pieces_jointes(message),
    )


class Capteur:
    """aiosmtpd handler: its hooks are looked up by name (handle_MAIL, handle_RCPT…)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        issue = self.store.issue(MESSAGERIE)
        if issue.mode == "panne":
            return "421 Service de messagerie indisponible (panne simulée)"
        setattr(envelope, _ISSUE, issue)
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self._issue(envelope).mode == "refus":
            return f"550 Adresse refusée : {address} (refus simulé)"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        issue = self._issue(envelope)
        if issue.mode == "erreur":
            return "451 Erreur locale du serveur de messagerie (erreur simulée)"
        if issue.mode == "lent":
            await asyncio.sleep(issue.delai_s)
        courriel = lire_courriel(envelope.mail_from, envelope.rcpt_tos, envelope.content)
        self.store.recevoir_courriel(courriel)
        return "250 Message reçu"

    @staticmethod
    def _issue(envelope: Any) -> Mode:
        issue: Mode = getattr(envelope, _ISSUE, Mode())
        return issue


class CapteurSmtp:
    """Start/stop the catcher in its own thread (aiosmtpd's Controller), or use `with`."""

    def __init__(self, store: Store, host: str = "127.0.0.1", port: int = 8025) -> None:
        self.host, self.port = host, port
        self._controller = Controller(Capteur(store), hostname=host, port=port, ready_timeout=5)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> CapteurSmtp:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
