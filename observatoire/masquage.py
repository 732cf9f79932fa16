"""Statistical secrecy for what leaves the cockpit (CSV exports, JSON API): any count under the
threshold is masked, and so is every value derived from a masked count (a share, a median),
so that it cannot be worked back from it."""

from __future__ import annotations

from observatoire.modele import Colonne, Indicateur, Ligne, Nature, Resultat, Valeur

SEUIL = 5
EFFECTIF_MASQUE = f"< {SEUIL}"
DERIVE_MASQUE = "masqué"


def masques(ind: Indicateur, ligne: Ligne) -> set[str]:
    """The codes of the columns of this row that must not be shown."""
    petits = {
        c.code
        for c in ind.colonnes
        if c.nature == Nature.EFFECTIF and (ligne.valeurs.get(c.code) or 0) < SEUIL
    }
    derives = {c.code for c in ind.colonnes if any(b in petits for b in c.base)}
    return petits | derives


def valeurs_publiques(ind: Indicateur, ligne: Ligne) -> tuple[dict[str, Valeur], list[str]]:
    """The row's values with the masked ones set to None, and the list of those masked."""
    caches = masques(ind, ligne)
    valeurs = {
        c.code: None if c.code in caches else ligne.valeurs.get(c.code) for c in ind.colonnes
    }
    return valeurs, [c.code for c in ind.colonnes if c.code in caches]


def nombre_fr(valeur: Valeur) -> str:
    """A figure as French readers and spreadsheets expect it (decimal comma)."""
    if valeur is None:
        return ""
    if float(valeur).is_integer():
        return str(int(valeur))
    return f"{valeur:.1f}".replace(".", ",")


def cellule(colonne: Colonne, valeur: Valeur, masquee: bool) -> str:
    if masquee:
        return EFFECTIF_MASQUE if colonne.nature == Nature.EFFECTIF else DERIVE_MASQUE
    return nombre_fr(valeur)


def masquer(r: Resultat) -> tuple[Resultat, list[set[str]]]:
    """The result as pages may show it: masked values set to None, and for each row the codes
    of its masked columns (so that a page writes « < 5 » or « masqué » like the CSV)."""
    lignes = [masquer_ligne(r.indicateur, ligne) for ligne in r.lignes]
    return Resultat(r.indicateur, lignes), [masques(r.indicateur, ligne) for ligne in r.lignes]


def masquer_ligne(ind: Indicateur, ligne: Ligne) -> Ligne:
    return Ligne(ligne.cle, ligne.libelle, valeurs_publiques(ind, ligne)[0])
