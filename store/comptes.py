"""Accounts of the professionals, their sessions, and API tokens for machine clients."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class Compte(SQLModel, table=True):
    __tablename__ = "compte"

    id: str = Field(primary_key=True)
    email: str = Field(unique=True, index=True)
    nom: str
    role: str = Field(index=True)
    organisme: str | None = Field(default=None, index=True)
    territoire: str | None = Field(default=None, index=True)
    mot_de_passe: str | None = Field(default=None, description="Empreinte argon2id")
    oidc_sub: str | None = Field(default=None, unique=True)
    actif: bool = True
    cree_le: datetime
    # Added with the administration of accounts (migration 0005):
    structure_id: str | None = Field(default=None, index=True)
    en_attente: bool = Field(
        default=False, description="Créé par une première connexion ProConnect, à approuver"
    )


class SessionRow(SQLModel, table=True):
    """A cockpit session. The cookie carries a random token; only its SHA-256 is stored."""

    __tablename__ = "session"

    empreinte: str = Field(primary_key=True)
    compte_id: str = Field(index=True, foreign_key="compte.id")
    csrf: str
    cree_le: datetime
    vu_le: datetime
    adresse: str | None = None


class JetonApi(SQLModel, table=True):
    """A bearer token for a machine client, acting with its account's rights."""

    __tablename__ = "jeton_api"

    empreinte: str = Field(primary_key=True)
    compte_id: str = Field(index=True, foreign_key="compte.id")
    nom: str
    cree_le: datetime
    expire_le: datetime | None = None
    revoque: bool = False


class TentativeOidc(SQLModel, table=True):
    """An OpenID Connect login in progress: what the callback must find again (10 minutes)."""

    __tablename__ = "tentative_oidc"

    state: str = Field(primary_key=True)
    nonce: str
    verifier: str
    suite: str
    cree_le: datetime


class EchecConnexion(SQLModel, table=True):
    """Failed logins counted for one key (an address, or an account from an address), so that
    every web process applies the same limit. The key is stored hashed: people sometimes type
    their password in the e-mail field."""

    __tablename__ = "echec_connexion"

    cle: str = Field(primary_key=True, description="SHA-256 de la clé (adresse, compte+adresse)")
    echecs: int = 0
    dernier_le: datetime = Field(index=True)  # rows a day old are purged
    bloque_jusqu_au: datetime | None = None
