"""Rate limits.

``Limiteur`` (sliding window, in memory) slows floods on the partner API and on the pages a
person opens without an account. Each limit is declared once in ``reglages`` and named by its
routes; each application makes its own (``Limites``, in ``app.state``), so two applications
of one process (a test's platforms, a second app on the same base) never share a count.
Login failures are counted in the database instead (``echecs_connexion``), so that every web
replica applies the same limit and a restart forgets nothing.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from core.settings import Settings
from store.comptes import EchecConnexion
from store.db import ecriture


class Limiteur:
    def __init__(self, maximum: int, fenetre_s: float) -> None:
        self.maximum, self.fenetre = maximum, fenetre_s
        self._hits: dict[str, deque[float]] = defaultdict(deque)

    def tient(self, cle: str, n: int = 1) -> bool:
        """Whether ``n`` more hits fit in the window now (nothing counted)."""
        now, hits = time.monotonic(), self._hits[cle]
        while hits and now - hits[0] > self.fenetre:
            hits.popleft()
        return len(hits) + n <= self.maximum

    def noter(self, cle: str, n: int = 1) -> None:
        self._hits[cle].extend([time.monotonic()] * n)

    def autoriser(self, cle: str, n: int = 1) -> bool:
        """Count ``n`` hits at once (a partner's batch counts its events), all or none."""
        if not self.tient(cle, n):
            return False
        self.noter(cle, n)
        return True

    def attente(self, cle: str, n: int = 1) -> int:
        """Seconds until ``n`` more hits fit in the window."""
        hits = self._hits.get(cle)
        if not hits:
            return 0
        premier_libere = hits[min(len(hits) - 1, max(0, len(hits) + n - self.maximum - 1))]
        return int(self.fenetre - (time.monotonic() - premier_libere)) + 1


@dataclass(frozen=True)
class Reglage:
    maximum: int
    fenetre_s: float


NomLimite = Literal[
    "carnet", "rendez_vous", "orientation", "partenaire", "doublons", "rattachement"
]


def reglages(settings: Settings) -> dict[NomLimite, Reglage]:
    """Every in-memory limit, by the name its routes give."""
    # A person's link: the secret is 256 bits, the limit only slows a scan down. Counted per
    # address (and per form where a page has several); the carnet counts every visit, the
    # booking and orientation pages only their wrong links.
    par_adresse = Reglage(maximum=30, fenetre_s=60)
    return {
        "carnet": par_adresse,
        "rendez_vous": par_adresse,
        "orientation": par_adresse,
        # Events per partner (one by one or in batches): PARTNER_RATE_LIMIT_PER_MINUTE.
        "partenaire": Reglage(settings.partner_rate_limit_per_minute, 60),
        # Per account and per hour, so that neither becomes a way to learn who has a
        # parcours: duplicates found at an accueil (web/api/doublons.py), requests to join a
        # team (web/equipe/rattachements.py).
        "doublons": Reglage(maximum=10, fenetre_s=3600),
        "rattachement": Reglage(maximum=10, fenetre_s=3600),
    }


class Limites:
    """One application's limiters, one per name, made with the application."""

    def __init__(self, table: dict[NomLimite, Reglage]) -> None:
        self._par_nom = {nom: Limiteur(r.maximum, r.fenetre_s) for nom, r in table.items()}

    def maximum(self, nom: NomLimite) -> int:
        return self._par_nom[nom].maximum

    def compter(self, nom: NomLimite, cle: str, n: int = 1) -> int:
        """Count ``n`` hits of ``cle``: 0 when they fit, else nothing is counted and this is
        the seconds to wait (the « Retry-After », never 0: 0 would let the hits through)."""
        limiteur = self._par_nom[nom]
        return 0 if limiteur.autoriser(cle, n) else max(1, limiteur.attente(cle, n))

    def attente(self, nom: NomLimite, cle: str) -> int:
        """As ``compter``, but nothing is counted: for a limit that counts only some of the
        requests it refuses once full (``noter`` counts them)."""
        limiteur = self._par_nom[nom]
        return 0 if limiteur.tient(cle) else max(1, limiteur.attente(cle))

    def noter(self, nom: NomLimite, cle: str) -> None:
        self._par_nom[nom].noter(cle)


@dataclass(frozen=True)
class Palier:
    """Failures allowed free of charge, then a lock doubling with each further failure."""

    gratuits: int
    premier_blocage: timedelta
    blocage_max: timedelta
    oubli: timedelta  # a key whose last failure is this old starts again from zero

    def blocage(self, echecs: int) -> timedelta | None:
        if echecs < self.gratuits:
            return None
        doublements = min(echecs - self.gratuits, 20)  # past the cap anyway; keeps it small
        return min(self.premier_blocage * (1 << doublements), self.blocage_max)


# One person mistyping from their desk: five tries, then 1, 2, 4… minutes (at most an hour).
# Only that address is slowed for that account: nobody else can lock a named account.
COMPTE_ET_ADRESSE = Palier(5, timedelta(minutes=1), timedelta(hours=1), timedelta(hours=1))
# A whole office behind one public address (a département's site): only failures count,
# and many of them, before the address is slowed; this stops guessing across many accounts.
ADRESSE = Palier(50, timedelta(minutes=1), timedelta(hours=1), timedelta(hours=1))
# Past its last lock and its forgetting, a key's row serves nothing: it goes after a day.
CONSERVATION = timedelta(days=1)


def _cle(*parties: str) -> str:
    return hashlib.sha256("\x1f".join(parties).encode()).hexdigest()


def cles(email: str, ip: str) -> dict[str, Palier]:
    return {_cle("compte", email, ip): COMPTE_ET_ADRESSE, _cle("adresse", ip): ADRESSE}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite drops the zone


async def attente_connexion(session: AsyncSession, email: str, ip: str) -> int:
    """Seconds before this address may try this account again (0: now)."""
    now, attente = datetime.now(UTC), 0
    for cle in cles(email, ip):
        row = await session.get(EchecConnexion, cle, populate_existing=True)
        if row is not None and row.bloque_jusqu_au is not None:
            reste = (_aware(row.bloque_jusqu_au) - now).total_seconds()
            attente = max(attente, int(reste) + 1 if reste > 0 else 0)
    return attente


async def _ligne(session: AsyncSession, cle: str, now: datetime) -> EchecConnexion:
    """The key's row, created if missing, locked until the commit (two replicas counting the
    same failure at once must not lose one)."""
    connexion = await session.connection()
    dialecte = postgresql if connexion.dialect.name == "postgresql" else sqlite
    await session.exec(
        dialecte.insert(EchecConnexion)
        .values(cle=cle, echecs=0, dernier_le=now)
        .on_conflict_do_nothing(index_elements=["cle"])
    )
    row = await session.get(EchecConnexion, cle, with_for_update=True, populate_existing=True)
    assert row is not None
    return row


async def echec_connexion(session: AsyncSession, email: str, ip: str) -> None:
    now = datetime.now(UTC)
    await ecriture(session)
    await session.exec(
        delete(EchecConnexion).where(col(EchecConnexion.dernier_le) < now - CONSERVATION)
    )
    for cle, palier in cles(email, ip).items():
        row = await _ligne(session, cle, now)
        if now - _aware(row.dernier_le) > palier.oubli:
            row.echecs = 0
        row.echecs, row.dernier_le = row.echecs + 1, now
        blocage = palier.blocage(row.echecs)
        row.bloque_jusqu_au = now + blocage if blocage else None
    await session.commit()


async def reussite_connexion(session: AsyncSession, email: str, ip: str) -> None:
    """A success clears this account's failures from this address only: the address's own
    count stays, or one valid account would let its holder guess the others' passwords."""
    await ecriture(session)
    cle = next(iter(cles(email, ip)))
    row = await session.get(EchecConnexion, cle)
    if row is not None:
        await session.delete(row)
    await session.commit()
