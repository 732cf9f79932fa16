"""In-app notifications, and the outbox that makes every e-mail or SMS go out once."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


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
