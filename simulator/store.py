"""What the simulator received, and how each partner behaves. Shared by the HTTP app and the
SMTP catcher, which run in different threads: every access holds one lock."""

from __future__ import annotations

import json
import logging
import os
import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

log = logging.getLogger(__name__)

NomMode = Literal["normal", "panne", "lent", "erreur", "refus", "instable"]
Droits = Literal["ouverts", "suspendus", "clos", "aucun"]
SMS = "sms"


class Mode(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: NomMode = "normal"
    pourcentage: int = Field(50, ge=0, le=100, description="Part des appels en échec (instable)")
    delai_s: float = Field(15.0, ge=0, le=600, description="Attente avant de répondre (lent)")


class DroitsRsa(BaseModel):
    model_config = ConfigDict(extra="forbid")

    droits_rsa: Droits
    depuis: date


class Recu(BaseModel):
    """One idempotency key of one partner: the first request and how often it came."""

    partenaire: str
    operation: str
    cle: str
    corps: dict[str, Any]
    statut_http: int
    reponse: dict[str, Any]
    premier_appel: datetime
    dernier_appel: datetime
    appels: int = 1


class PieceJointeRecue(BaseModel):
    nom: str
    type: str
    contenu: str


class CourrielRecu(BaseModel):
    message_id: str | None
    expediteur: str
    destinataires: list[str]
    sujet: str
    texte: str
    recu_le: datetime
    livraisons: int = 1
    # Attachments as received (name, type, text): the .ics of an appointment (issue 18).
    pieces_jointes: list[PieceJointeRecue] = []


class Etat(BaseModel):
    """What survives a restart: what was received, and the CAF rights set by hand. Modes do
    not: a restarted simulator answers normally."""

    recus: list[Recu] = []
    courriels: list[CourrielRecu] = []
    droits_caf: dict[str, DroitsRsa] = {}


def maintenant() -> datetime:
    return datetime.now(UTC)


def _echoue(rang: int, pourcentage: int) -> bool:
    """Call number `rang` (from 1) fails when it crosses the next multiple of 100/pourcentage:
    exactly pourcentage % of every 100 calls fail, evenly spread, the first one included."""
    return -(-rang * pourcentage // 100) > -(-(rang - 1) * pourcentage // 100)


class Store:
    def __init__(self, fichier: Path | None = None, *, differe_s: float = 0.0) -> None:
        """``differe_s``: how long a change may wait before the file is rewritten (0: at once).
        The file holds everything received, so rewriting it on each call costs more the more
        was received: 36 ms of CPU per CAF read by the 5,000th row of an import (issue 16).
        Deferred, a burst of calls is written once; ``fermer`` writes what is left."""
        self.fichier = fichier
        self.differe_s = differe_s
        self._ecriture: threading.Timer | None = None
        self._lock = threading.RLock()
        self._recus: dict[tuple[str, str], Recu] = {}
        self._courriels: list[CourrielRecu] = []
        self._droits: dict[str, DroitsRsa] = {}
        self._modes: dict[str, Mode] = {}
        self._rangs: dict[str, int] = {}
        self._charger()

    # Modes -------------------------------------------------------------------------------

    def mode(self, partenaire: str) -> Mode:
        with self._lock:
            return self._modes.get(partenaire, Mode())

    def modes(self) -> dict[str, Mode]:
        with self._lock:
            return dict(self._modes)

    def definir_mode(self, partenaire: str, mode: Mode) -> None:
        with self._lock:
            self._modes[partenaire] = mode
            self._rangs[partenaire] = 0  # a fresh deterministic sequence each time

    def issue(self, partenaire: str) -> Mode:
        """How this call behaves: « instable » resolves to « panne » or « normal »."""
        with self._lock:
            mode = self._modes.get(partenaire, Mode())
            if mode.mode != "instable":
                return mode
            rang = self._rangs[partenaire] = self._rangs.get(partenaire, 0) + 1
            echec = _echoue(rang, mode.pourcentage)
            return mode.model_copy(update={"mode": "panne" if echec else "normal"})

    # Calls ---------------------------------------------------------------------------------

    def rejouer(self, partenaire: str, cle: str) -> Recu | None:
        """The first answer to this key, counting this new call; None for a new key."""
        with self._lock:
            recu = self._recus.get((partenaire, cle))
            if recu is not None:
                self._compter(recu)
            return recu

    def enregistrer(
        self,
        partenaire: str,
        operation: str,
        cle: str,
        corps: dict[str, Any],
        statut_http: int,
        reponse: dict[str, Any],
    ) -> Recu:
        """Record a side effect once per key; a concurrent twin only counts as a call."""
        with self._lock:
            if (deja := self.rejouer(partenaire, cle)) is not None:
                return deja
            now = maintenant()
            recu = Recu(
                partenaire=partenaire,
                operation=operation,
                cle=cle,
                corps=corps,
                statut_http=statut_http,
                reponse=reponse,
                premier_appel=now,
                dernier_appel=now,
            )
            self._recus[(partenaire, cle)] = recu
            self._sauver()
            return recu

    def _compter(self, recu: Recu) -> None:
        recu.appels += 1
        recu.dernier_appel = maintenant()
        self._sauver()

    def recus(self, partenaire: str | None = None, operation: str | None = None) -> list[Recu]:
        with self._lock:
            return [
                r.model_copy()
                for r in self._recus.values()
                if partenaire in (None, r.partenaire) and operation in (None, r.operation)
            ]

    def sms(self, telephone: str | None = None) -> list[dict[str, Any]]:
        return [
            {
                "telephone": r.corps.get("telephone"),
                "texte": r.corps.get("texte"),
                "cle": r.cle,
                "recu_le": r.premier_appel,
                "appels": r.appels,
            }
            for r in self.recus(SMS)
            if telephone in (None, r.corps.get("telephone"))
        ]

    # E-mails -------------------------------------------------------------------------------

    def recevoir_courriel(self, courriel: CourrielRecu) -> bool:
        """Store a message unless its Message-ID was already received; True when new."""
        with self._lock:
            if courriel.message_id is not None:
                for deja in self._courriels:
                    if deja.message_id == courriel.message_id:
                        deja.livraisons += 1
                        self._sauver()
                        return False
            self._courriels.append(courriel)
            self._sauver()
            return True

    def courriels(self, destinataire: str | None = None) -> list[CourrielRecu]:
        with self._lock:
            return [
                c.model_copy()
                for c in self._courriels
                if destinataire is None or destinataire in c.destinataires
            ]

    # CAF rights ----------------------------------------------------------------------------

    def droits(self, numero: str) -> DroitsRsa | None:
        with self._lock:
            return self._droits.get(numero)

    def definir_droits(self, numero: str, droits: DroitsRsa) -> None:
        with self._lock:
            self._droits[numero] = droits
            self._sauver()

    # Reset and persistence -----------------------------------------------------------------

    def reinitialiser(self) -> None:
        with self._lock:
            self._recus.clear()
            self._courriels.clear()
            self._droits.clear()
            self._modes.clear()
            self._rangs.clear()
            self._sauver()

    def _charger(self) -> None:
        if self.fichier is None or not self.fichier.exists():
            return
        try:
            etat = Etat.model_validate_json(self.fichier.read_bytes())
        except (OSError, ValidationError) as err:
            log.warning("Simulateur : %s illisible, état vide (%s)", self.fichier, err)
            return
        self._recus = {(r.partenaire, r.cle): r for r in etat.recus}
        self._courriels = etat.courriels
        self._droits = etat.droits_caf

    def _sauver(self) -> None:
        if self.fichier is None:
            return
        if self.differe_s <= 0:
            self._ecrire()
        elif self._ecriture is None:  # one write scheduled for the whole burst
            self._ecriture = threading.Timer(self.differe_s, self._ecrire_differe)
            self._ecriture.daemon = True
            self._ecriture.start()

    def _ecrire_differe(self) -> None:
        with self._lock:
            self._ecriture = None
            self._ecrire()

    def fermer(self) -> None:
        """Write what a deferred write still holds (the simulator stops)."""
        with self._lock:
            if self._ecriture is not None:
                self._ecriture.cancel()
                self._ecriture = None
                self._ecrire()

    def _ecrire(self) -> None:
        assert self.fichier is not None
        etat = Etat(
            recus=list(self._recus.values()), courriels=self._courriels, droits_caf=self._droits
        )
        self.fichier.parent.mkdir(parents=True, exist_ok=True)
        temporaire = self.fichier.with_suffix(".tmp")
        temporaire.write_text(json.dumps(etat.model_dump(mode="json"), ensure_ascii=False))
        os.replace(temporaire, self.fichier)  # never leave a half-written file behind
