"""Daily snapshots: every indicator, for each territory and the whole département, over the
last twelve months, stored by day — and the trends the page draws from them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from observatoire.catalogue import calculer
from observatoire.modele import Filtres, Ligne, Resultat, Valeur
from schemas.common import Territoire
from schemas.contrat import add_months
from store.indicateurs import DEPARTEMENT, InstantaneIndicateur


def periode_glissante(jour: date) -> Filtres:
    """The twelve months ending on ``jour`` (included)."""
    return Filtres(du=add_months(jour, -12) + timedelta(days=1), au=jour)


def _valeur(r: Resultat, f: Filtres) -> dict[str, object]:
    return {
        "du": f.du.isoformat() if f.du else None,
        "au": f.au.isoformat() if f.au else None,
        "lignes": [
            {"cle": ligne.cle, "libelle": ligne.libelle, "valeurs": dict(ligne.valeurs)}
            for ligne in r.lignes
        ],
    }


async def prendre_instantane(session: AsyncSession, jour: date) -> int:
    """Compute and store the day's snapshot, replacing any earlier one of the same day
    (idempotent: running it twice leaves the same rows). Returns the number of rows."""
    await session.exec(delete(InstantaneIndicateur).where(col(InstantaneIndicateur.jour) == jour))
    maintenant, lignes = datetime.now(UTC), []
    for territoire in [None, *Territoire]:
        f = replace(periode_glissante(jour), territoire=territoire)
        code_territoire = territoire.value if territoire else DEPARTEMENT
        for r in await calculer(session, f, jour):
            lignes.append(
                InstantaneIndicateur(
                    jour=jour,
                    territoire=code_territoire,
                    code=r.indicateur.code,
                    valeur=_valeur(r, f),
                    calcule_le=maintenant,
                )
            )
    session.add_all(lignes)
    await session.commit()
    return len(lignes)


@dataclass(frozen=True)
class Serie:
    libelle: str
    code: str  # indicator
    colonne: str
    ligne: str = "ensemble"


EFFECTIFS = (
    Serie("Parcours non clos", "ruptures_taux", "en_cours"),
    Serie("Dont en rupture", "ruptures_taux", "en_rupture"),
)
PARTS = (
    Serie("Part des parcours en rupture", "ruptures_taux", "part"),
    Serie("Taux de sorties positives (12 mois glissants)", "sorties_positives", "part"),
    Serie("Part en emploi à J+180", "emploi_j180", "part"),
)


SERIES = EFFECTIFS + PARTS


@dataclass(frozen=True)
class Tendance:
    jours: list[date]
    lignes: dict[Serie, list[Ligne | None]]  # the stored row each series reads, day by day

    def valeurs(self, s: Serie) -> list[Valeur]:
        return [ligne.valeurs.get(s.colonne) if ligne else None for ligne in self.lignes[s]]

    def series(self, groupe: tuple[Serie, ...]) -> list[tuple[Serie, list[Valeur]]]:
        return [(s, self.valeurs(s)) for s in groupe]

    def tableau(self) -> list[tuple[date, list[Valeur]]]:
        """One row per day, one value per series (in ``SERIES`` order)."""
        colonnes = [self.valeurs(s) for s in SERIES]
        return [(jour, [c[i] for c in colonnes]) for i, jour in enumerate(self.jours)]


def _lire(valeur: dict[str, Any], s: Serie) -> Ligne | None:
    lignes = valeur.get("lignes")
    for ligne in lignes if isinstance(lignes, list) else []:
        if ligne.get("cle") == s.ligne:
            return Ligne(s.ligne, str(ligne.get("libelle", "")), ligne.get("valeurs") or {})
    return None


async def tendance(session: AsyncSession, territoire: str, du: date, au: date) -> Tendance:
    """The snapshots of one territory (or ``DEPARTEMENT``) between two days, as series."""
    rows = (
        await session.exec(
            select(InstantaneIndicateur)
            .where(
                InstantaneIndicateur.territoire == territoire,
                col(InstantaneIndicateur.code).in_({s.code for s in SERIES}),
                col(InstantaneIndicateur.jour) >= du,
                col(InstantaneIndicateur.jour) <= au,
            )
            .order_by(col(InstantaneIndicateur.jour))
        )
    ).all()
    jours = sorted({r.jour for r in rows})
    par_jour = {(r.jour, r.code): r.valeur for r in rows}
    lignes = {s: [_lire(par_jour.get((j, s.code), {}), s) for j in jours] for s in SERIES}
    return Tendance(jours, lignes)
