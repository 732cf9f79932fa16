"""PMSMP: immersions prescribed, carried out, and followed by a hiring."""

from __future__ import annotations

from observatoire.calcul import Calcul
from observatoire.faits import Faits, PmsmpFait
from observatoire.modele import Graphique, Ligne, Theme, TypeGraphique, effectif, indicateur, part
from observatoire.stats import pourcentage
from schemas.contrat import add_months
from schemas.pmsmp import ResultatPmsmp

MOIS_POUR_EMBAUCHE = 3


def suivie_d_embauche(p: PmsmpFait, f: Faits) -> bool:
    limite = add_months(p.fin, MOIS_POUR_EMBAUCHE)
    return any(p.debut <= e.debut <= limite for e in f.emplois)


@indicateur(
    code="pmsmp",
    theme=Theme.PMSMP,
    titre="Immersions (PMSMP) : réalisation et embauche",
    definition="""
        Les conventions de PMSMP dont la date de début tombe dans la période (événement
        « pmsmp_prescrite », dates de la convention) : leur nombre, dont annulées, dont avec un
        bilan (événement « pmsmp_bilan »). Parmi celles qui ont un bilan : réalisées
        entièrement (résultat du bilan « réalisée entièrement » ; « en partie » et « ne s'est
        pas présentée » ne le sont pas) et suivies d'une embauche (une embauche déclarée dans
        le même parcours, événement « embauche », qui commence entre le début de l'immersion
        et trois mois après sa fin, chez cette entreprise ou une autre).
    """,
    unite="immersions",
    dimension="Périmètre",
    colonnes=(
        effectif("prescrites", "PMSMP"),
        effectif("annulees", "Dont annulées"),
        effectif("avec_bilan", "Dont avec bilan"),
        effectif("realisees", "Réalisées entièrement"),
        part("part_realisees", "Part réalisée entièrement", "realisees", "avec_bilan"),
        effectif("embauche", "Suivies d'une embauche"),
        part("part_embauche", "Part suivie d'une embauche", "embauche", "avec_bilan"),
    ),
    graphique=Graphique(
        TypeGraphique.BARRES, ("prescrites", "avec_bilan", "realisees", "embauche")
    ),
)
async def pmsmp(c: Calcul) -> list[Ligne]:
    retenues = [(p, f) for f in await c.faits() for p in f.pmsmp if c.dans_periode(p.debut)]
    bilans = [(p, f) for p, f in retenues if p.resultat is not None]
    realisees = sum(1 for p, _ in bilans if p.resultat == ResultatPmsmp.REALISEE.value)
    embauche = sum(1 for p, f in bilans if suivie_d_embauche(p, f))
    valeurs = {
        "prescrites": len(retenues),
        "annulees": sum(1 for p, _ in retenues if p.annulee),
        "avec_bilan": len(bilans),
        "realisees": realisees,
        "part_realisees": pourcentage(realisees, len(bilans)),
        "embauche": embauche,
        "part_embauche": pourcentage(embauche, len(bilans)),
    }
    return [Ligne("ensemble", "Ensemble", valeurs)]
