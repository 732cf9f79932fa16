"""docs/indicateurs.md, generated from the indicators' own definitions so that the page, the
API and the document never disagree.

    python -m observatoire.documentation          (rewrites docs/indicateurs.md)
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from observatoire.catalogue import INDICATEURS
from observatoire.instantanes import EFFECTIFS, PARTS
from observatoire.masquage import DERIVE_MASQUE, EFFECTIF_MASQUE, SEUIL
from observatoire.modele import Indicateur, Nature, Theme
from observatoire.planification import PLANIFICATION_ID

CHEMIN = Path(__file__).resolve().parent.parent / "docs" / "indicateurs.md"

NATURES = {
    Nature.EFFECTIF: "effectif",
    Nature.PART: "part (%)",
    Nature.JOURS: "durée (jours)",
    Nature.HEURES: "durée (heures)",
}

INTRODUCTION = f"""# Indicateurs de l'observatoire

> Document généré depuis le code (`observatoire/`) par `python -m observatoire.documentation` :
> ne pas le modifier à la main. Un test vérifie qu'il est à jour.

Les indicateurs sont calculés à partir du modèle de lecture (la projection de chaque parcours :
ses phases, son fil d'événements, son état) et sont consultables dans le cockpit
(`/observatoire`, coordinateurs et administrateurs), en CSV (`/observatoire/export/{{code}}.csv`)
et par l'API (`GET /api/v1/observatoire/indicateurs`).

## Filtres et conventions

- **Périmètre** : un coordinateur voit les parcours de son territoire, un administrateur ceux
  de tout le département (ou d'un territoire choisi) ; les référents n'ont pas accès à
  l'observatoire.
- **Territoire**, **organisme référent** : ceux du parcours aujourd'hui.
- **Cohorte** (`cohorte=AAAA-MM`) : ne garde que les parcours accueillis pendant ce mois.
- **Période** (`du`, `au`, bornes incluses) : chaque indicateur dit quel événement doit tomber
  dans la période. Sans début, la période part du premier parcours ; sans fin, elle va jusqu'à
  aujourd'hui. Le **jour de référence** est la fin de la période (sinon aujourd'hui) : c'est le
  jour où les stocks sont observés.
- **Durées** en jours calendaires. **Médiane** : la valeur du milieu (moyenne des deux valeurs
  du milieu si leur nombre est pair). **80ᵉ centile** : la valeur de rang ⌈0,8 × n⌉ des durées
  triées. **Parts** en pourcentage, arrondies au dixième.
- **« Dans le mois »** : au plus tard le même jour du mois suivant (comme les échéances d'un
  mois de la vigie des ruptures).

## Secret statistique des exports

La page de l'observatoire, les exports CSV et l'API ne contiennent ni nom ni identifiant :
chaque ligne est une catégorie (phase, mois, motif, règle, frein). Tout effectif inférieur à
{SEUIL} y est remplacé par « {EFFECTIF_MASQUE} » (`null` dans l'API, avec le code de la colonne
dans `masques`), et toute valeur calculée à partir d'un effectif masqué (part, médiane,
centile) par « {DERIVE_MASQUE} » ; un graphique en secteurs qui laisserait deviner une part
masquée n'est pas tracé. Chaque consultation de la page, de l'API ou d'un export est inscrite
au journal d'audit (action, compte, filtres). Le secret secondaire (retrouver une case masquée
par différence entre deux autres) n'est pas traité : ne publiez pas ces tableaux sans relecture.

Les fichiers CSV sont en UTF-8 avec BOM, séparés par des points-virgules, avec la virgule
décimale : ils s'ouvrent tels quels dans un tableur français.

## Instantanés quotidiens

Chaque nuit à 2 h 30 (heure de Paris), la planification Temporal `{PLANIFICATION_ID}` lance
le workflow `ObservatoireQuotidien`, qui calcule tous les indicateurs pour chaque territoire et
pour le département, sur les douze derniers mois glissants, et les enregistre par jour (table
`observatoire_instantane`). Relancé le même jour, il remplace l'instantané du jour. Ces
instantanés gardent l'évolution même après l'anonymisation des parcours anciens ; la page en
trace : {", ".join(f"« {s.libelle} »" for s in EFFECTIFS + PARTS)}, exportées (masquées
comme les autres tableaux) par `/observatoire/export/evolution.csv`.
"""


def _indicateur(i: Indicateur) -> str:
    colonnes = "\n".join(f"| `{c.code}` | {c.libelle} | {NATURES[c.nature]} |" for c in i.colonnes)
    return f"""### {i.titre}

Code `{i.code}` — unité : {i.unite} — une ligne par : {i.dimension.lower()}.

{textwrap.fill(i.definition, width=95)}

| Colonne | Libellé | Nature |
|---|---|---|
{colonnes}
"""


def generer() -> str:
    parties = [INTRODUCTION]
    for theme in Theme:
        indicateurs = [i for i in INDICATEURS if i.theme == theme]
        parties.append(f"## {theme.label}\n")
        parties += [_indicateur(i) for i in indicateurs]
    return "\n".join(parties)


if __name__ == "__main__":
    CHEMIN.write_text(generer(), encoding="utf-8")
