"""Delays: time spent in each phase, and the two one-month deadlines of the start of a parcours
(orientation after the diagnostic, contract after the orientation)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlmodel import col

from observatoire.calcul import Calcul
from observatoire.flux import PHASES_OUVERTES
from observatoire.modele import (
    Graphique,
    Ligne,
    Theme,
    TypeGraphique,
    effectif,
    indicateur,
    jours,
    part,
)
from observatoire.stats import centile_80, dans_le_mois, mediane, pourcentage
from store.parcours import PhaseRow


@indicateur(
    code="duree_phases",
    theme=Theme.DELAIS,
    titre="Temps passé dans chaque phase",
    definition="""
        Pour chaque phase, les passages terminés pendant la période (le parcours a quitté la
        phase à une date de la période) : leur nombre, la durée médiane et le 80ᵉ centile, en
        jours calendaires entre l'entrée dans la phase et l'entrée dans la suivante. Un parcours
        qui repasse par une phase (réorientation, emploi perdu…) compte un passage de plus. Les
        passages en cours ne sont pas comptés : leur durée n'est pas encore connue. Médiane :
        la valeur du milieu (moyenne des deux valeurs du milieu si leur nombre est pair).
        80ᵉ centile : la valeur de rang ⌈0,8 × n⌉ une fois les durées triées (8 passages sur 10
        ont duré au plus autant).
    """,
    unite="jours",
    dimension="Phase",
    colonnes=(
        effectif("passages", "Passages terminés"),
        jours("mediane", "Durée médiane", "passages"),
        jours("p80", "80ᵉ centile de la durée", "passages"),
    ),
    graphique=Graphique(TypeGraphique.BARRES, ("mediane", "p80")),
)
async def duree_phases(c: Calcul) -> list[Ligne]:
    au = col(PhaseRow.au)
    rows = await c.lignes(
        c.selection(PhaseRow.phase, PhaseRow.du, PhaseRow.au, jointure=PhaseRow).where(
            au.is_not(None), *c.periode(au)
        )
    )
    durees: dict[str, list[int]] = defaultdict(list)
    for phase, debut, fin in rows:
        durees[phase].append((fin - debut).days)
    return [
        Ligne(
            p.value,
            p.label,
            {
                "passages": len(durees[p.value]),
                "mediane": mediane(durees[p.value]),
                "p80": centile_80(durees[p.value]),
            },
        )
        for p in PHASES_OUVERTES
    ]


def _premier_apres(evenements: list[date], references: list[date]) -> tuple[date, date] | None:
    """The first event, with the latest reference recorded on or before it."""
    if not evenements:
        return None
    premier = evenements[0]
    avant = [r for r in references if r <= premier]
    return (premier, max(avant)) if avant else None


def _dans_le_mois(c: Calcul, paires: Iterable[tuple[date, date] | None]) -> list[Ligne]:
    retenues = [p for p in paires if p is not None and c.dans_periode(p[0])]
    a_temps = sum(1 for jour, ref in retenues if dans_le_mois(ref, jour))
    valeurs = {
        "total": len(retenues),
        "dans_le_mois": a_temps,
        "part": pourcentage(a_temps, len(retenues)),
    }
    return [Ligne("ensemble", "Ensemble", valeurs)]


@indicateur(
    code="delai_orientation",
    theme=Theme.DELAIS,
    titre="Orientations décidées dans le mois suivant le diagnostic",
    definition="""
        Parmi les parcours dont la première décision d'orientation (événement
        « orientation_decidee », date de la décision) tombe dans la période, la part de ceux
        où elle a été prise au plus un mois calendaire après le dernier diagnostic réalisé
        jusqu'à ce jour-là (même jour du mois suivant, comme l'échéance de la vigie). Les
        parcours encore sans décision ne sont pas comptés : ils apparaissent dans les ruptures
        « échéance dépassée ».
    """,
    unite="%",
    dimension="Périmètre",
    colonnes=(
        effectif("total", "Premières décisions d'orientation"),
        effectif("dans_le_mois", "Dont prises dans le mois"),
        part("part", "Part prise dans le mois", "dans_le_mois", "total"),
    ),
    graphique=Graphique(
        TypeGraphique.SECTEURS, ("dans_le_mois",), complement=("total", "Au-delà d'un mois")
    ),
)
async def delai_orientation(c: Calcul) -> list[Ligne]:
    faits = await c.faits()
    return _dans_le_mois(
        c, (_premier_apres(f.orientations, [d.le for d in f.diagnostics]) for f in faits)
    )


@indicateur(
    code="delai_contrat",
    theme=Theme.DELAIS,
    titre="Contrats signés dans le mois suivant l'orientation",
    definition="""
        Parmi les parcours dont le premier contrat d'engagement signé (événement
        « contrat_signe » : le jour de la dernière des deux signatures, la personne et le
        référent) tombe dans la période, la part de ceux où il a été signé au plus un mois
        calendaire après la dernière décision d'orientation prise jusqu'à ce jour-là.
    """,
    unite="%",
    dimension="Périmètre",
    colonnes=(
        effectif("total", "Premiers contrats signés"),
        effectif("dans_le_mois", "Dont signés dans le mois"),
        part("part", "Part signée dans le mois", "dans_le_mois", "total"),
    ),
    graphique=Graphique(
        TypeGraphique.SECTEURS, ("dans_le_mois",), complement=("total", "Au-delà d'un mois")
    ),
)
async def delai_contrat(c: Calcul) -> list[Ligne]:
    faits = await c.faits()
    return _dans_le_mois(c, (_premier_apres(f.contrats_signes, f.orientations) for f in faits))
