"""Outcomes: sorties by reason, the sorties positives rate, and who is still in employment
six months after being hired."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlmodel import col

from observatoire.calcul import Calcul
from observatoire.faits import EmploiFait
from observatoire.modele import Graphique, Ligne, Theme, TypeGraphique, effectif, indicateur, part
from observatoire.stats import pourcentage
from schemas.sortie import SORTIES_POSITIVES, MotifSortie
from store.parcours import ParcoursRow

JOURS_MAINTIEN = 180
POSITIVES = ", ".join(m.label.lower() for m in MotifSortie if m in SORTIES_POSITIVES)


async def _sorties(c: Calcul) -> list[tuple[str, bool]]:
    """(reason, positive) of each sortie of the period."""
    clos = col(ParcoursRow.clos_le)
    rows = await c.lignes(
        c.selection(ParcoursRow.sortie_motif, ParcoursRow.sortie_positive).where(
            clos.is_not(None), *c.periode(clos)
        )
    )
    return [(motif or MotifSortie.AUTRE.value, bool(positive)) for motif, positive in rows]


@indicateur(
    code="sorties_motif",
    theme=Theme.SORTIES,
    titre="Sorties par motif",
    definition="""
        Les parcours sortis pendant la période (événement « sortie », à sa date), par motif de
        sortie, et la part de chaque motif dans l'ensemble des sorties de la période.
    """,
    unite="parcours",
    dimension="Motif de sortie",
    colonnes=(effectif("sorties", "Sorties"), part("part", "Part des sorties", "sorties")),
    graphique=Graphique(TypeGraphique.BARRES, ("sorties",), horizontal=True),
)
async def sorties_motif(c: Calcul) -> list[Ligne]:
    sorties = await _sorties(c)
    compte = Counter(motif for motif, _ in sorties)
    return [
        Ligne(
            m.value,
            m.label,
            {"sorties": compte[m.value], "part": pourcentage(compte[m.value], len(sorties))},
        )
        for m in MotifSortie
    ]


@indicateur(
    code="sorties_positives",
    theme=Theme.SORTIES,
    titre="Taux de sorties positives",
    definition=f"""
        Parmi les parcours sortis pendant la période (événement « sortie », à sa date), la part
        des sorties positives : {POSITIVES}.
    """,
    unite="%",
    dimension="Périmètre",
    colonnes=(
        effectif("sorties", "Sorties"),
        effectif("positives", "Dont positives"),
        part("part", "Taux de sorties positives", "positives", "sorties"),
    ),
    graphique=Graphique(
        TypeGraphique.SECTEURS, ("positives",), complement=("sorties", "Autres sorties")
    ),
)
async def sorties_positives(c: Calcul) -> list[Ligne]:
    sorties = await _sorties(c)
    positives = sum(1 for _, positive in sorties if positive)
    valeurs = {
        "sorties": len(sorties),
        "positives": positives,
        "part": pourcentage(positives, len(sorties)),
    }
    return [Ligne("ensemble", "Ensemble", valeurs)]


def en_emploi(emplois: list[EmploiFait], jour: date) -> bool:
    return any(e.debut <= jour and (e.fin is None or e.fin >= jour) for e in emplois)


@indicateur(
    code="emploi_j180",
    theme=Theme.SORTIES,
    titre="Personnes toujours en emploi six mois après l'embauche",
    definition=f"""
        Parmi les parcours dont la première embauche de la période (événement « embauche »,
        date de début du contrat de travail) remonte à au moins {JOURS_MAINTIEN} jours au jour
        de référence, la part de ceux où la personne est en emploi le {JOURS_MAINTIEN}ᵉ jour
        après cette embauche : un emploi déclaré dans le parcours (celui-ci ou un suivant)
        couvre ce jour-là. Un emploi finit à la date de fin déclarée (événement
        « emploi_termine ») ou à la date de fin prévue du contrat, la plus proche des deux ; un
        emploi sans fin connue est compté comme toujours occupé.
    """,
    unite="%",
    dimension="Périmètre",
    colonnes=(
        effectif("embauches", "Personnes embauchées depuis au moins 180 jours"),
        effectif("en_emploi", "Dont en emploi à J+180"),
        part("part", "Part en emploi à J+180", "en_emploi", "embauches"),
    ),
    graphique=Graphique(
        TypeGraphique.SECTEURS, ("en_emploi",), complement=("embauches", "Plus en emploi")
    ),
)
async def emploi_j180(c: Calcul) -> list[Ligne]:
    limite = c.reference - timedelta(days=JOURS_MAINTIEN)
    embauches, en_poste = 0, 0
    for f in await c.faits():
        premiere = next((e for e in f.emplois if c.dans_periode(e.debut)), None)
        if premiere is None or premiere.debut > limite:
            continue
        embauches += 1
        en_poste += en_emploi(f.emplois, premiere.debut + timedelta(days=JOURS_MAINTIEN))
    valeurs = {
        "embauches": embauches,
        "en_emploi": en_poste,
        "part": pourcentage(en_poste, embauches),
    }
    return [Ligne("ensemble", "Ensemble", valeurs)]
