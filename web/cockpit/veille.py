"""What the coordinator watches, read from the read model within their scope: the map of
phases × statuses and the ruptures and alerts grouped by reason (incidents: veille_incidents)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlalchemy import select as sa_select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from rules.chargement import lire_yaml
from schemas.common import Organisme
from schemas.parcours import Phase, Statut
from services.utilisateur import Utilisateur
from store.parcours import AlerteRow, ParcoursRow
from web.requetes import Filtres, compter_par, portee

STATUTS_CARTE = [Statut.EN_COURS, Statut.EN_ALERTE, Statut.EN_RUPTURE, Statut.EN_INCIDENT]


@lru_cache(maxsize=1)
def motifs() -> list[tuple[str, str]]:
    """(code, French label) of every vigie rule, placeholders turned into words."""
    out = []
    for r in lire_yaml("vigie.yaml").get("ruptures", []):
        texte = (
            str(r["libelle"])
            .replace(" : {evenement}", "")
            .replace(" ({structure})", "")
            .replace("{echeance} : échéance", "Échéance de phase")
        )
        valeurs = {"jours": (r.get("delai") or {}).get("valeur", "N"), "seuil": r.get("seuil")}
        texte = texte.replace("{jalon}", "N").format(**valeurs)
        out.append((str(r["code"]), texte))
    return out


@dataclass
class Cellule:
    phase: Phase
    statut: Statut
    nombre: int
    niveau: int  # 0–4: strength of the colour, relative to the row's maximum


@dataclass
class Carte:
    lignes: list[tuple[Statut, list[Cellule]]]
    totaux: dict[Phase, int]
    clos: int


def _niveau(n: int, maximum: int) -> int:
    return 0 if n == 0 else min(4, 1 + (3 * n) // max(maximum, 1))


async def carte(session: AsyncSession, u: Utilisateur, f: Filtres, today: date) -> Carte:
    """Counts per phase × status, with every filter except phase and status themselves."""
    base = Filtres(
        territoire=f.territoire,
        organisme=f.organisme,
        referent=f.referent,
        motif=f.motif,
        anciennete=f.anciennete,
        q=f.q,
        inclure_clos=True,
    )
    base.verifier(u)
    where = base.conditions(today)
    counts: dict[tuple[str, str], int] = {
        (str(p), str(s)): int(n)
        for p, s, n in await compter_par(
            session, u, today, col(ParcoursRow.phase), col(ParcoursRow.statut), where=where
        )
    }

    # "en cours" is measured against itself; the three problem rows share one scale, so
    # that one alert does not look as dark as twenty ruptures.
    def nombres(statut: Statut) -> list[int]:
        return [counts.get((p.value, statut.value), 0) for p in Phase]

    probleme = max([max(nombres(s)) for s in STATUTS_CARTE[1:]] + [4])
    lignes = []
    for statut in STATUTS_CARTE:
        maximum = max(nombres(statut)) if statut == Statut.EN_COURS else probleme
        ligne = zip(Phase, nombres(statut), strict=True)
        lignes.append((statut, [Cellule(p, statut, n, _niveau(n, maximum)) for p, n in ligne]))
    # A column's header adds up the cells under it, nothing else: closed parcours (phase
    # Sortie) are counted in the footnote, not in a header whose cells all show 0.
    totaux = {
        p: sum(c.nombre for _, cellules in lignes for c in cellules if c.phase == p) for p in Phase
    }
    clos = sum(n for (_, s), n in counts.items() if s == Statut.CLOS.value)
    return Carte(lignes, totaux, clos)


# Only what the lists show: the row's JSON copy of the whole state is never loaded here.
COLONNES_PARCOURS = (
    col(ParcoursRow.id),
    col(ParcoursRow.reference),
    col(ParcoursRow.prenom),
    col(ParcoursRow.nom),
    col(ParcoursRow.phase),
    col(ParcoursRow.referent_nom),
    col(ParcoursRow.organisme),
)


@dataclass
class LigneParcours:
    id: str
    reference: str
    prenom: str
    nom: str
    phase: str
    referent_nom: str | None
    organisme: str | None


@dataclass
class LigneAlerte:
    parcours_id: str
    reference: str
    personne: str
    phase: str
    referent: str | None
    organisme: str | None
    depuis: date
    echeance: date | None
    jours: int
    libelle: str = ""  # this alert's own words (« Diagnostic à réaliser : échéance dépassée »)


@dataclass
class GroupeMotif:
    libelle: str
    code: str
    severite: str
    total: int = 0  # distinct parcours with this rule: what the list filtered by it shows
    lignes: list[LigneAlerte] = field(default_factory=list)


MONTRES = 5  # lines shown per reason; the list filtered by the reason shows them all


def _conditions_alertes(f: Filtres, today: date) -> list[ColumnElement[bool]]:
    c: list[ColumnElement[bool]] = []
    if f.motif:
        c.append(col(AlerteRow.code) == f.motif)
    if f.anciennete:
        c.append(col(AlerteRow.depuis) <= today - timedelta(days=f.anciennete))
    return c


def _territoire_des_alertes(u: Utilisateur, f: Filtres) -> list[ColumnElement[bool]]:
    """An alert row carries its parcours' territory (both written by the same projection):
    saying so lets the database start from the territory's alerts, not from all its parcours."""
    territoire = u.territoire if u.est_coordinateur else f.territoire
    return [col(AlerteRow.territoire) == territoire.value] if territoire is not None else []


async def ruptures(
    session: AsyncSession, u: Utilisateur, f: Filtres, today: date
) -> list[GroupeMotif]:
    """Active alerts grouped by their rule, ruptures first, then the biggest groups.

    A group is a rule (its code), not a label: its link opens the list filtered by that code,
    and its count is the number of distinct parcours that list shows (one rule gives several
    labels, « Diagnostic à réaliser : échéance dépassée »…, and a parcours may have two alerts
    of one rule: counting alert rows by label made « 7 parcours » open a list of 10)."""
    f.verifier(u)
    sans_alerte = Filtres(**{**f.__dict__, "motif": None, "anciennete": None})
    where = (
        portee(u, today),
        *sans_alerte.conditions(today),
        *_conditions_alertes(f, today),
        *_territoire_des_alertes(u, f),
    )
    jointure = col(ParcoursRow.id) == col(AlerteRow.parcours_id)
    par_regle: Any = (
        sa_select(col(AlerteRow.code), func.count(func.distinct(col(AlerteRow.parcours_id))))
        .join(ParcoursRow, jointure)
        .where(*where)
        .group_by(col(AlerteRow.code))
    )
    totaux = {str(code): int(n) for code, n in (await session.exec(par_regle)).all()}
    # Cut in SQL: a territory has thousands of alerts, the page shows five a rule.
    ordre = (col(AlerteRow.depuis), col(ParcoursRow.nom), col(ParcoursRow.id))
    colonnes_alerte = (AlerteRow.severite, AlerteRow.libelle, AlerteRow.code, AlerteRow.depuis)
    alertes: Any = (  # (sqlmodel's select() types at most four columns)
        sa_select(
            *(col(c) for c in colonnes_alerte),
            col(AlerteRow.echeance),
            *COLONNES_PARCOURS,
            func.row_number().over(partition_by=col(AlerteRow.code), order_by=ordre).label("rang"),
        )
        .join(ParcoursRow, jointure)
        .where(*where)
        .subquery()
    )
    stmt: Any = sa_select(alertes).where(alertes.c.rang <= MONTRES).order_by(alertes.c.rang)
    noms = dict(motifs())
    groupes: dict[str, GroupeMotif] = {}
    for severite, libelle_, code, depuis, echeance, *colonnes, _ in (
        await session.exec(stmt)
    ).all():
        p = LigneParcours(*colonnes)
        g = groupes.setdefault(
            code, GroupeMotif(noms.get(code, libelle_), code, severite, total=totaux.get(code, 0))
        )
        g.lignes.append(
            LigneAlerte(
                parcours_id=p.id,
                reference=p.reference,
                personne=f"{p.prenom} {p.nom.upper()}",
                phase=Phase(p.phase).label,
                referent=p.referent_nom,
                organisme=libelle(Organisme, p.organisme) if p.organisme else None,
                depuis=depuis,
                echeance=echeance,
                jours=(today - depuis).days,
                libelle=libelle_,
            )
        )
    return sorted(groupes.values(), key=lambda g: (g.severite != "rupture", -g.total, g.libelle))


def libelle(enum: Any, value: str) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return value
