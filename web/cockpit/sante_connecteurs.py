"""Health of the partner connectors, on the coordination's incidents view (ticket 20, item 7):
per partner, the active connector, its last success and last failure, and its backlog (events
stored but not yet delivered, events waiting to be reconciled). No person is named: every
coordinator sees it whole, as they see the queue « à rapprocher »."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.partners import PartnerConfig, load_partners
from core.settings import Settings
from partenaires.livraison import utc
from schemas.incident import Partenaire
from store.connecteurs import SanteConnecteur
from store.evenements_partenaires import EvenementRecu, StatutReception
from store.lots import FichierImporte
from store.parcours import IncidentRow

MODES = {"simulateur": "Simulateur", "reel": "Réel", "desactive": "Désactivé"}


@dataclass(frozen=True)
class SanteVue:
    partenaire: str
    libelle: str
    mode: str
    dernier_succes: datetime | None
    dernier_echec: datetime | None
    echec: str | None
    a_livrer: int
    a_rapprocher: int
    dernier_fichier: str | None  # name of the last batch file imported

    @property
    def en_echec(self) -> bool:
        """Failed last: no success since its last failure."""
        return self.dernier_echec is not None and (
            self.dernier_succes is None or self.dernier_succes < self.dernier_echec
        )


def _libelle(partner_id: str, config: PartnerConfig) -> str:
    connus = {p.value for p in Partenaire}
    return Partenaire(partner_id).label if partner_id in connus else config.nom


async def _arriere(session: AsyncSession) -> dict[tuple[str, str], int]:
    rows = await session.exec(
        select(EvenementRecu.partenaire, EvenementRecu.statut, func.count())
        .where(
            col(EvenementRecu.statut).in_(
                [StatutReception.A_LIVRER.value, StatutReception.A_RAPPROCHER.value]
            )
        )
        .group_by(col(EvenementRecu.partenaire), col(EvenementRecu.statut))
    )
    return {(p, s): int(n) for p, s, n in rows.all()}


async def _incidents(session: AsyncSession) -> dict[str, datetime]:
    """The last failed call to each partner, from the parcours' incidents (outbound calls)."""
    rows = await session.exec(
        select(IncidentRow.partenaire, func.max(IncidentRow.derniere_erreur)).group_by(
            col(IncidentRow.partenaire)
        )
    )
    return {p: utc(d) for p, d in rows.all() if d is not None}


async def _fichiers(session: AsyncSession) -> dict[str, str]:
    rows = await session.exec(
        select(FichierImporte.partenaire, FichierImporte.nom).order_by(
            col(FichierImporte.importe_le)
        )
    )
    return dict(rows.all())  # the latest per partner wins


def _plus_tard(a: datetime | None, b: datetime | None) -> datetime | None:
    return max((d for d in (a, b) if d is not None), default=None)


async def sante_connecteurs(session: AsyncSession, settings: Settings) -> list[SanteVue]:
    partenaires = load_partners(settings.partners_file, settings.effective_partner_base_url)
    notes = {r.partenaire: r for r in (await session.exec(select(SanteConnecteur))).all()}
    arriere, incidents, fichiers = (
        await _arriere(session),
        await _incidents(session),
        await _fichiers(session),
    )
    vues = []
    for pid, config in partenaires.items():
        note = notes.get(pid)
        succes = utc(note.dernier_succes) if note and note.dernier_succes else None
        echec_note = utc(note.dernier_echec) if note and note.dernier_echec else None
        echec = _plus_tard(echec_note, incidents.get(pid))
        vues.append(
            SanteVue(
                partenaire=pid,
                libelle=_libelle(pid, config),
                mode=MODES.get(config.connecteur, config.connecteur),
                dernier_succes=succes,
                dernier_echec=echec,
                echec=note.echec if note and echec == echec_note else None,
                a_livrer=arriere.get((pid, StatutReception.A_LIVRER.value), 0),
                a_rapprocher=arriere.get((pid, StatutReception.A_RAPPROCHER.value), 0),
                dernier_fichier=fichiers.get(pid),
            )
        )
    return vues
