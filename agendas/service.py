"""Reading and writing agendas in the store. Below the routes: it knows accounts by their
id, structure, organisme and territory, never a request."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from agendas.creneaux import creneaux_libres
from rules.calendrier import jours_feries_france
from rules.rendez_vous import regles_rendez_vous
from schemas.agenda import (
    Absence,
    AbsenceSaisie,
    Creneau,
    JourSemaine,
    Lieu,
    LieuSaisi,
    Plage,
    PlageSaisie,
)
from schemas.rdv import ModeRdv
from store.agendas import AbsenceRow, CreneauPrisRow, LieuRow, PlageRow
from store.db import ecriture

FENETRE_MAX_JOURS = 92  # a search of free slots covers at most about three months


class SaisieRefusee(ValueError):
    """A mistyped agenda entry: the route answers 422 naming ``champ``; nothing is written."""

    def __init__(self, champ: str, message: str) -> None:
        super().__init__(message)
        self.champ = champ


class Introuvable(LookupError):
    """Not there, or not the asker's: the same answer for both."""


@dataclass(frozen=True)
class Proprietaire:
    """Whose agenda and places: an account, and the structure its places belong to."""

    compte_id: str
    structure: str | None
    organisme: str | None
    territoire: str | None

    @property
    def cle_des_lieux(self) -> str:
        # Accounts made before the structures existed own places with their organisme.
        return self.structure or f"{self.organisme or '-'}/{self.territoire or '-'}"


def _utc(instant: datetime) -> datetime:
    """SQLite gives back naive datetimes: they were written in UTC."""
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


# --- places ------------------------------------------------------------------------------


def _lieu(row: LieuRow) -> Lieu:
    return Lieu(
        id=row.id,
        nom=row.nom,
        adresse=row.adresse,
        code_postal=row.code_postal,
        commune=row.commune,
        acces=row.acces,
    )


async def lieux(session: AsyncSession, p: Proprietaire) -> list[Lieu]:
    rows = await session.exec(
        select(LieuRow).where(LieuRow.proprietaire == p.cle_des_lieux).order_by(col(LieuRow.nom))
    )
    return [_lieu(r) for r in rows.all()]


async def creer_lieu(session: AsyncSession, p: Proprietaire, saisie: LieuSaisi) -> Lieu:
    if any(lieu.nom.casefold() == saisie.nom.casefold() for lieu in await lieux(session, p)):
        raise SaisieRefusee("nom", "Un lieu de ce nom existe déjà dans votre structure")
    await ecriture(session)
    row = LieuRow(
        id=f"lieu-{uuid.uuid4().hex[:12]}",
        proprietaire=p.cle_des_lieux,
        cree_le=datetime.now(UTC),
        **saisie.model_dump(),
    )
    session.add(row)
    await session.commit()
    return _lieu(row)


async def lieu(session: AsyncSession, lieu_id: str) -> Lieu | None:
    row = await session.get(LieuRow, lieu_id)
    return _lieu(row) if row else None


# --- opening slots -----------------------------------------------------------------------


def _plage(row: PlageRow) -> Plage:
    return Plage(
        id=row.id,
        compte_id=row.compte_id,
        jour=JourSemaine(str(row.jour)),
        debut=row.debut,
        fin=row.fin,
        modalite=ModeRdv(row.modalite),
        lieu_id=row.lieu_id,
        motifs=list(row.motifs),
        du=row.du,
        au=row.au,
    )


async def plages(session: AsyncSession, comptes: list[str]) -> list[Plage]:
    rows = await session.exec(
        select(PlageRow)
        .where(col(PlageRow.compte_id).in_(comptes), col(PlageRow.retiree_le).is_(None))
        .order_by(col(PlageRow.jour), col(PlageRow.debut))
    )
    return [_plage(r) for r in rows.all()]


def _se_chevauchent(a: PlageSaisie, b: Plage) -> bool:
    if a.jour != b.jour or a.debut >= b.fin or b.debut >= a.fin:
        return False
    fin_a, fin_b = a.au or date.max, b.au or date.max
    return a.du <= fin_b and b.du <= fin_a


async def _verifier_plage(session: AsyncSession, p: Proprietaire, saisie: PlageSaisie) -> None:
    regles = regles_rendez_vous()
    inconnus = [m for m in saisie.motifs if regles.motif(m) is None]
    if inconnus:
        raise SaisieRefusee("motifs", f"Motif inconnu : {', '.join(inconnus)}")
    # A collective motif is received in a session (agendas/sessions.py), never one by one.
    if any(m.collectif for c in saisie.motifs if (m := regles.motif(c)) is not None):
        raise SaisieRefusee("motifs", "Ce motif se tient en session collective, pas dans une plage")
    if saisie.lieu_id is not None:
        row = await session.get(LieuRow, saisie.lieu_id)
        if row is None or row.proprietaire != p.cle_des_lieux:
            raise SaisieRefusee("lieu_id", "Ce lieu n'est pas un lieu de votre structure")
    for autre in await plages(session, [p.compte_id]):
        if _se_chevauchent(saisie, autre):
            raise SaisieRefusee(
                "debut",
                f"Cette plage chevauche celle du {autre.jour.label} de "
                f"{autre.debut:%H:%M} à {autre.fin:%H:%M}",
            )


async def ouvrir_plage(session: AsyncSession, p: Proprietaire, saisie: PlageSaisie) -> Plage:
    await _verifier_plage(session, p, saisie)
    await ecriture(session)
    donnees = saisie.model_dump(exclude={"jour", "modalite"})
    row = PlageRow(
        id=f"plage-{uuid.uuid4().hex[:12]}",
        compte_id=p.compte_id,
        jour=int(saisie.jour.value),
        modalite=saisie.modalite.value,
        cree_le=datetime.now(UTC),
        **donnees,
    )
    session.add(row)
    await session.commit()
    return _plage(row)


async def retirer_plage(session: AsyncSession, p: Proprietaire, plage_id: str) -> None:
    """No more slots offered from it; appointments already booked in it stay."""
    await ecriture(session)
    row = await session.get(PlageRow, plage_id)
    if row is None or row.compte_id != p.compte_id or row.retiree_le is not None:
        await session.rollback()
        raise Introuvable(plage_id)
    row.retiree_le = datetime.now(UTC)
    session.add(row)
    await session.commit()


# --- leave -------------------------------------------------------------------------------


def _absence(row: AbsenceRow) -> Absence:
    return Absence(id=row.id, compte_id=row.compte_id, du=row.du, au=row.au, motif=row.motif)


async def absences(session: AsyncSession, comptes: list[str], depuis: date) -> list[Absence]:
    rows = await session.exec(
        select(AbsenceRow)
        .where(col(AbsenceRow.compte_id).in_(comptes), col(AbsenceRow.au) >= depuis)
        .order_by(col(AbsenceRow.du))
    )
    return [_absence(r) for r in rows.all()]


async def ajouter_absence(session: AsyncSession, p: Proprietaire, saisie: AbsenceSaisie) -> Absence:
    await ecriture(session)
    row = AbsenceRow(
        id=f"absence-{uuid.uuid4().hex[:12]}",
        compte_id=p.compte_id,
        cree_le=datetime.now(UTC),
        **saisie.model_dump(),
    )
    session.add(row)
    await session.commit()
    return _absence(row)


# --- free slots --------------------------------------------------------------------------


async def quarts_pris(session: AsyncSession, comptes: list[str]) -> set[tuple[str, datetime]]:
    """The quarters of an hour already booked (see store.agendas)."""
    rows = await session.exec(
        select(CreneauPrisRow).where(col(CreneauPrisRow.compte_id).in_(comptes))
    )
    return {(r.compte_id, _utc(r.debut)) for r in rows.all()}


async def creneaux(
    session: AsyncSession, comptes: list[str], motif: str, du: date, au: date
) -> list[Creneau]:
    regles = regles_rendez_vous()
    m = regles.motif(motif)
    if m is None:
        raise SaisieRefusee("motif", f"Motif inconnu : {motif}")
    if au < du:
        raise SaisieRefusee("au", "Le dernier jour doit suivre le premier")
    if (au - du).days > FENETRE_MAX_JOURS:
        raise SaisieRefusee("au", f"Cherchez sur {FENETRE_MAX_JOURS} jours au plus")
    pas_avant = datetime.now(UTC) + timedelta(hours=regles.reservation.delai_minimum_heures)
    return creneaux_libres(
        await plages(session, comptes),
        await absences(session, comptes, du),
        frozenset(jours_feries_france(range(du.year, au.year + 1))),
        await quarts_pris(session, comptes),
        m,
        du,
        au,
        pas_avant,
    )


async def lieux_par_id(session: AsyncSession, creneaux: list[Creneau]) -> list[Lieu]:
    """The places of these slots, to show their address and access to the person."""
    ids = {c.lieu_id for c in creneaux if c.lieu_id}
    if not ids:
        return []
    rows = await session.exec(select(LieuRow).where(col(LieuRow.id).in_(ids)))
    return [_lieu(r) for r in rows.all()]
