"""Freins périphériques: how often each is found at the first diagnostic, and how often a later
diagnostic finds it lifted."""

from __future__ import annotations

from observatoire.calcul import Calcul
from observatoire.faits import DiagnosticFait
from observatoire.modele import Graphique, Ligne, Theme, TypeGraphique, effectif, indicateur, part
from observatoire.stats import pourcentage
from schemas.diagnostic import Frein, NiveauFrein

PRESENTS = frozenset({NiveauFrein.A_TRAVAILLER.value, NiveauFrein.BLOQUANT.value})


def present(d: DiagnosticFait, frein: Frein) -> bool:
    return d.freins.get(frein.value) in PRESENTS


async def _premiers(c: Calcul) -> list[list[DiagnosticFait]]:
    """The diagnostics of each parcours whose first diagnostic falls in the period."""
    return [
        f.diagnostics
        for f in await c.faits()
        if f.diagnostics and c.dans_periode(f.diagnostics[0].le)
    ]


@indicateur(
    code="freins_prevalence",
    theme=Theme.FREINS,
    titre="Freins périphériques au premier diagnostic",
    definition="""
        Parmi les parcours dont le premier diagnostic (événement « diagnostic ») est réalisé
        pendant la période, pour chacun des huit freins : combien l'ont « à travailler » ou
        « bloquant » à ce premier diagnostic (frein présent), dont « bloquant », et la part de
        chacun parmi les parcours diagnostiqués. Les réponses de santé ne sont enregistrées
        qu'avec le consentement de la personne, et ne sont plus comptées s'il est retiré : ce
        frein peut être sous-estimé.
    """,
    unite="%",
    dimension="Frein",
    colonnes=(
        effectif("diagnostiques", "Parcours diagnostiqués"),
        effectif("presents", "Frein présent"),
        part("part_presents", "Part avec ce frein", "presents", "diagnostiques"),
        effectif("bloquants", "Frein bloquant"),
        part("part_bloquants", "Part avec ce frein bloquant", "bloquants", "diagnostiques"),
    ),
    graphique=Graphique(TypeGraphique.BARRES, ("part_presents", "part_bloquants"), horizontal=True),
)
async def freins_prevalence(c: Calcul) -> list[Ligne]:
    premiers = [d[0] for d in await _premiers(c)]
    lignes = []
    for frein in Frein:
        presents = sum(1 for d in premiers if present(d, frein))
        bloquants = sum(
            1 for d in premiers if d.freins.get(frein.value) == NiveauFrein.BLOQUANT.value
        )
        valeurs = {
            "diagnostiques": len(premiers),
            "presents": presents,
            "part_presents": pourcentage(presents, len(premiers)),
            "bloquants": bloquants,
            "part_bloquants": pourcentage(bloquants, len(premiers)),
        }
        lignes.append(Ligne(frein.value, frein.label, valeurs))
    return lignes


@indicateur(
    code="freins_resolution",
    theme=Theme.FREINS,
    titre="Freins levés à un diagnostic ultérieur",
    definition="""
        Parmi les parcours dont le premier diagnostic est réalisé pendant la période et qui ont
        eu au moins un nouveau diagnostic depuis, pour chaque frein présent au premier
        diagnostic (« à travailler » ou « bloquant ») : combien sont au niveau « aucun » au
        dernier diagnostic en date (frein levé), et la part qu'ils représentent.
    """,
    unite="%",
    dimension="Frein",
    colonnes=(
        effectif("presents", "Présent au premier diagnostic et rediagnostiqué"),
        effectif("leves", "Levé au dernier diagnostic"),
        part("part", "Part levée", "leves", "presents"),
    ),
    graphique=Graphique(TypeGraphique.BARRES, ("part",), horizontal=True),
)
async def freins_resolution(c: Calcul) -> list[Ligne]:
    suivis = [(d[0], d[-1]) for d in await _premiers(c) if len(d) > 1]
    lignes = []
    for frein in Frein:
        avec = [dernier for premier, dernier in suivis if present(premier, frein)]
        leves = sum(1 for d in avec if d.freins.get(frein.value) == NiveauFrein.AUCUN.value)
        valeurs = {"presents": len(avec), "leves": leves, "part": pourcentage(leves, len(avec))}
        lignes.append(Ligne(frein.value, frein.label, valeurs))
    return lignes
