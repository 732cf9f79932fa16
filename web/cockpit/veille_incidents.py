"""Open incidents of partner calls as the coordinator watches them: grouped by partner, then
by error message (an outage shows as one group), each with its parcours to retry or close.
Parcours blocked technically (``ops.parcours_bloques``) come first, in a group of their own:
no command can help them, the technical team repairs them (``python -m ops.reparer``). Above
them, when it grows, the backlog of partner events not yet delivered: the lists lag behind."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from ops.parcours_bloques import LIBELLE as LIBELLE_BLOQUE
from ops.parcours_bloques import OPERATION as BLOQUE
from ops.parcours_bloques import PARTENAIRE as PLATEFORME
from partenaires.livraison import arriere
from schemas.incident import INCIDENTS_ACTIFS, Partenaire, StatutIncident, TypeOperation
from services.utilisateur import Utilisateur
from store.parcours import IncidentRow, ParcoursRow
from web.cockpit.veille import COLONNES_PARCOURS, LigneParcours, libelle
from web.requetes import Filtres, portee


@dataclass
class LigneIncident:
    id: str
    parcours_id: str
    reference: str
    personne: str
    operation: str
    tentatives: int
    premiere_erreur: datetime
    derniere_erreur: datetime
    statut: str


@dataclass
class GroupeIncident:
    message: str
    lignes: list[LigneIncident] = field(default_factory=list)


@dataclass
class PartenaireEnIncident:
    partenaire: str
    libelle: str
    messages: list[GroupeIncident] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(m.lignes) for m in self.messages)

    @property
    def bloques(self) -> bool:
        """Parcours blocked technically, not a partner's failure."""
        return self.partenaire == PLATEFORME


def _libelle_partenaire(partenaire: str) -> str:
    return (
        "Parcours bloqués techniquement"
        if partenaire == PLATEFORME
        else libelle(Partenaire, partenaire)
    )


def _libelle_operation(operation: str) -> str:
    return LIBELLE_BLOQUE if operation == BLOQUE else libelle(TypeOperation, operation)


async def incidents(
    session: AsyncSession, u: Utilisateur, f: Filtres, today: date
) -> list[PartenaireEnIncident]:
    """Open incidents grouped by partner, then by error message (the outage's signature)."""
    f.verifier(u)
    lieu = Filtres(territoire=f.territoire, organisme=f.organisme, referent=f.referent)
    stmt: Any = (  # (sqlmodel's select() types at most four columns)
        sa_select(IncidentRow, *COLONNES_PARCOURS)
        .join(ParcoursRow, col(ParcoursRow.id) == col(IncidentRow.parcours_id))
        .where(
            portee(u, today),
            *lieu.conditions(today),
            col(IncidentRow.statut).in_([s.value for s in INCIDENTS_ACTIFS]),
        )
        .order_by(col(IncidentRow.partenaire), col(IncidentRow.premiere_erreur))
    )
    partenaires: dict[str, PartenaireEnIncident] = {}
    for i, *colonnes in (await session.exec(stmt)).all():
        p = LigneParcours(*colonnes)
        part = partenaires.setdefault(
            i.partenaire, PartenaireEnIncident(i.partenaire, _libelle_partenaire(i.partenaire))
        )
        groupe = next((m for m in part.messages if m.message == i.message), None)
        if groupe is None:
            groupe = GroupeIncident(i.message)
            part.messages.append(groupe)
        groupe.lignes.append(
            LigneIncident(
                id=i.id,
                parcours_id=p.id,
                reference=p.reference,
                personne=f"{p.prenom} {p.nom.upper()}",
                operation=_libelle_operation(i.operation),
                tentatives=i.tentatives,
                premiere_erreur=i.premiere_erreur,
                derniere_erreur=i.derniere_erreur,
                statut=libelle(StatutIncident, i.statut),
            )
        )
    return sorted(partenaires.values(), key=lambda x: (not x.bloques, -x.total))


@dataclass(frozen=True)
class ArriereVue:
    evenements: int
    minutes: int  # age of the oldest, whole minutes


async def arriere_en_retard(session: AsyncSession) -> ArriereVue | None:
    """The backlog of partner events, only once it is large or old enough to matter."""
    a, maintenant = await arriere(session), datetime.now(UTC)
    if not a.en_retard(maintenant):
        return None
    return ArriereVue(a.taille, int(a.age(maintenant).total_seconds() // 60))
