"""The attributes of the DSFR Chart web components (<bar-chart>, <pie-chart>, <line-chart>):
lists of lists, one per series, which templates write with ``tojson``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from observatoire.instantanes import Serie, Tendance
from observatoire.modele import Resultat, TypeGraphique


@dataclass(frozen=True)
class DonneesGraphique:
    type: str
    x: list[list[str]]
    y: list[list[Any]]
    noms: list[str]
    horizontal: bool = False


def _complement(r: Resultat, total: str, reste: str) -> DonneesGraphique | None:
    ind, ligne = r.indicateur, r.lignes[0]
    serie = ind.graphique.series[0]
    partie, tout = ligne.valeurs.get(serie), ligne.valeurs.get(total)
    if not tout or partie is None:  # nothing, or a masked count the other slice would reveal
        return None
    noms = [ind.colonne(serie).libelle, reste]
    return DonneesGraphique(TypeGraphique.SECTEURS.value, [noms], [[partie, tout - partie]], noms)


def graphique(r: Resultat) -> DonneesGraphique | None:
    """What the chart draws, or None when there is nothing to draw. Pages pass the result
    masked (``observatoire.masquage.masquer``): a masked value is a gap in a bar chart, and
    hides a pie chart, whose other slices would let it be worked out."""
    g = r.indicateur.graphique
    if not r.lignes:
        return None
    if g.complement is not None:
        return _complement(r, *g.complement)
    libelles = [ligne.libelle for ligne in r.lignes]
    if g.type == TypeGraphique.SECTEURS:
        valeurs = [ligne.valeurs.get(g.series[0]) for ligne in r.lignes]
        if any(v is None for v in valeurs):
            return None
        return DonneesGraphique(g.type.value, [libelles], [valeurs], libelles)
    return DonneesGraphique(
        g.type.value,
        [libelles] * len(g.series),  # line charts read one x list per series
        [[ligne.valeurs.get(s) for ligne in r.lignes] for s in g.series],
        [r.indicateur.colonne(s).libelle for s in g.series],
        g.horizontal,
    )


def graphique_tendance(t: Tendance, groupe: tuple[Serie, ...]) -> DonneesGraphique | None:
    """One line per series over the snapshot days."""
    if not t.jours:
        return None
    jours = [j.isoformat() for j in t.jours]
    series = t.series(groupe)
    return DonneesGraphique(
        TypeGraphique.COURBES.value,
        [jours] * len(series),
        [valeurs for _, valeurs in series],
        [s.libelle for s, _ in series],
    )
