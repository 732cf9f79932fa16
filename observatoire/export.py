"""CSV exports that open as they are in a French spreadsheet: UTF-8 with a byte-order mark,
``;`` between columns, decimal commas, French headers — and small counts masked. Rows are
categories (phases, months, reasons…): no name and no identifier can appear."""

from __future__ import annotations

import re
from datetime import date

from core.tableur import BOM, ecrivain
from observatoire.instantanes import SERIES, Serie, Tendance
from observatoire.masquage import cellule, masquer_ligne, masques
from observatoire.modele import REGISTRE, Colonne, Filtres, Indicateur, Resultat


def csv_resultat(r: Resultat) -> str:
    ind = r.indicateur
    tampon, w = ecrivain()
    w.writerow([ind.dimension, *(c.entete for c in ind.colonnes)])
    for ligne in r.lignes:
        caches = masques(ind, ligne)
        w.writerow(
            [
                ligne.libelle,
                *(cellule(c, ligne.valeurs.get(c.code), c.code in caches) for c in ind.colonnes),
            ]
        )
    return BOM + tampon.getvalue()


def _source(s: Serie) -> tuple[Indicateur, Colonne]:
    ind = REGISTRE[s.code]
    return ind, ind.colonne(s.colonne)


def cellules_tendance(t: Tendance) -> list[tuple[date, list[str]]]:
    """The snapshots' series, day by day, masked with the rules of the indicators they come
    from: the trend table of the page and of the CSV."""
    jours = []
    for i, jour in enumerate(t.jours):
        cellules = []
        for s in SERIES:
            (ind, c), ligne = _source(s), t.lignes[s][i]
            if ligne is None:
                cellules.append("")
            else:
                cellules.append(
                    cellule(c, ligne.valeurs.get(c.code), c.code in masques(ind, ligne))
                )
        jours.append((jour, cellules))
    return jours


def tendance_masquee(t: Tendance) -> Tendance:
    """The same trend with every masked value set to None (gaps in the page's curves)."""
    lignes = {
        s: [None if ligne is None else masquer_ligne(_source(s)[0], ligne) for ligne in t.lignes[s]]
        for s in t.lignes
    }
    return Tendance(t.jours, lignes)


def csv_tendance(t: Tendance) -> str:
    tampon, w = ecrivain()
    entetes = [Colonne(s.code, s.libelle, _source(s)[1].nature).entete for s in SERIES]
    w.writerow(["Jour", *entetes])
    for jour, cellules in cellules_tendance(t):
        w.writerow([jour.isoformat(), *cellules])
    return BOM + tampon.getvalue()


def nom_fichier(code: str, f: Filtres, today: date) -> str:
    """e.g. observatoire-stock_phase-bassin_annecien-2026-11-30.csv"""
    parts = ["observatoire", code]
    parts += [v.value for v in (f.territoire, f.organisme) if v is not None]
    if f.cohorte is not None:
        parts.append(f"cohorte-{f.cohorte:%Y-%m}")
    parts.append(f"{f.au or today:%Y-%m-%d}")
    return re.sub(r"[^A-Za-z0-9_.-]", "", "-".join(parts)) + ".csv"
