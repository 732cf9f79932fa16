"""Audit log: who read or wrote which dossier, when, from where — append-only, HMAC-chained.

Each entry's ``empreinte`` is an HMAC-SHA256, under a key the database does not hold
(``AUDIT_KEY``), of its content and of the previous entry's ``empreinte``: changing, adding or
deleting an entry breaks the chain, and rewriting the chain needs the key. Deleting the last
entries is caught by the daily anchors (workflows/ancrage_audit.py). ``make audit`` checks it
all (web/securite/verifier_audit.py).

Versions, told by the ``empreinte`` itself: ``h1:<hex>`` is the HMAC; a bare 64-hex-digit
``empreinte`` is a plain SHA-256, as written before the key existed — accepted only before the
first HMAC entry, so that nobody can append unkeyed entries after it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Literal, get_args

from sqlmodel import Field, SQLModel

# Every action the log records, declared once: the writers (services/audit.py) accept only
# these (mypy refuses any other string), and the administration's audit page offers them as
# the choices of its « Action » filter, with their labels below.
ActionAudit = Literal[
    "lecture",
    "liste",
    "ecriture",
    "export",
    "decodage",
    "doublon",
    "rattachement",
    "evenement_partenaire",
    "rappel_partenaire",
    "connexion",
    "connexion_refusee",
    "deconnexion",
    "compte_demande",
    "compte_cree",
    "compte_active",
    "compte_modifie",
    "compte_desactive",
    "compte_reactive",
    "compte_approuve",
    "acces_reinitialise",
    "jeton_revoque",
    "structure_creee",
    "structure_modifiee",
]
ACTIONS_AUDIT: tuple[ActionAudit, ...] = get_args(ActionAudit)

LIBELLES_ACTIONS: dict[ActionAudit, str] = {
    "lecture": "Lecture",
    "liste": "Consultation d'une liste",
    "ecriture": "Écriture",
    "export": "Export",
    "decodage": "Décodage d'un historique Temporal",
    "doublon": "Traitement d'un doublon",
    "rattachement": "Demande de rattachement à une équipe",
    "evenement_partenaire": "Événement reçu d'un partenaire",
    "rappel_partenaire": "Rappel d'un partenaire",
    "connexion": "Connexion",
    "connexion_refusee": "Connexion refusée",
    "deconnexion": "Déconnexion",
    "compte_demande": "Demande de compte",
    "compte_cree": "Création d'un compte",
    "compte_active": "Activation d'un compte",
    "compte_modifie": "Modification d'un compte",
    "compte_desactive": "Désactivation d'un compte",
    "compte_reactive": "Réactivation d'un compte",
    "compte_approuve": "Approbation d'un compte",
    "acces_reinitialise": "Réinitialisation d'un accès",
    "jeton_revoque": "Révocation d'un jeton d'API",
    "structure_creee": "Création d'une structure",
    "structure_modifiee": "Modification d'une structure",
}


class EntreeAudit(SQLModel, table=True):
    __tablename__ = "audit"

    id: int | None = Field(default=None, primary_key=True)
    le: datetime = Field(index=True)
    compte_id: str = Field(index=True)
    role: str
    action: str = Field(index=True, description="One of ACTIONS_AUDIT")
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

    def calculer(self, cle: bytes) -> str:
        """The keyed hash of this entry (what is written today)."""
        return HMAC + hmac.new(cle, self.contenu().encode(), hashlib.sha256).hexdigest()

    def calculer_sans_cle(self) -> str:
        """The plain SHA-256 of the entries written before the key existed."""
        return hashlib.sha256(self.contenu().encode()).hexdigest()

    @property
    def signee(self) -> bool:
        return self.empreinte.startswith(HMAC)

    def authentique(self, cles: Sequence[bytes]) -> bool:
        """Signed by one of the keys (the current one first, then those it replaced), or an
        unkeyed entry of before the key whose SHA-256 matches."""
        if not self.signee:
            return hmac.compare_digest(self.calculer_sans_cle(), self.empreinte)
        return any(hmac.compare_digest(self.calculer(cle), self.empreinte) for cle in cles)


GENESE = "0" * 64
HMAC = "h1:"
