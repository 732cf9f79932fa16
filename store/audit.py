"""Audit log: who read or wrote which dossier, when, from where — append-only, hash-chained.

Each entry's hash covers its content and the previous entry's hash, so changing or deleting
any entry breaks every hash after it (``python -m store.audit verifier`` checks the chain).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlmodel import Field, SQLModel


class EntreeAudit(SQLModel, table=True):
    __tablename__ = "audit"

    id: int | None = Field(default=None, primary_key=True)
    le: datetime = Field(index=True)
    compte_id: str = Field(index=True)
    role: str
    action: str = Field(index=True, description="lecture, ecriture, export, connexion…")
    objet: str = Field(index=True, description="parcours:<id>, compte:<id>…")
    detail: str = ""
    adresse: str | None = None
    precedent: str
    empreinte: str = Field(unique=True)

    def contenu(self) -> str:
        return json.dumps(
            [
                self.le.isoformat(),
                self.compte_id,
                self.role,
                self.action,
                self.objet,
                self.detail,
                self.adresse,
                self.precedent,
            ],
            ensure_ascii=False,
        )

    def calculer(self) -> str:
        return hashlib.sha256(self.contenu().encode()).hexdigest()


GENESE = "0" * 64
