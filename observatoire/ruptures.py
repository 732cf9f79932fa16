"""Ruptures: how many parcours are broken now, why, how long it takes to repair them, and how
many parcours ever broke. Read from the vigie's timeline events (alerte_levee, alerte_close)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import col

from observatoire.calcul import Calcul
from observatoire.libelles import regle
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
from observatoire.stats import centile_80, mediane, pourcentage
from schemas.parcours import Statut
from schemas.vigie import Severite
from store.parcours import AlerteRow, EvenementRow, ParcoursRow

LEVEE, CLOSE = "alerte_levee", "alerte_close"
UNE_RUPTURE = """
    Une rupture commence à l'événement « alerte_levee » de sévérité « rupture » et finit à
    l'événement « alerte_close » suivant de la même règle pour le même objet (même parcours,
    même règle, même clé) ou à la sortie du parcours, quelle qu'en soit la raison (contact
    repris, échéance tenue…). Une rupture close le jour même où elle est levée, ou levée après
    une sortie saisie après coup, n'est pas comptée : c'est le rattrapage d'une saisie tardive
    (le fait attendu était déjà arrivé), pas un parcours arrêté.
"""


@dataclass(frozen=True)
class Rupture:
    parcours_id: str
    regle: str
    levee: date
    close: date | None  # None while it lasts

    @property
    def jours(self) -> int | None:
        return None if self.close is None else (self.close - self.levee).days


def _suivre(evenements: Sequence[Any]) -> list[Rupture]:
    """Pair each raised rupture with the next close of the same (parcours, rule, key); the
    events come ordered by parcours and sequence number, with the parcours' sortie day (a
    sortie drops the alerts without closing them one by one)."""
    ouvertes: dict[tuple[str, str, str], date] = {}
    sorties: dict[str, date | None] = {}
    ruptures = []
    for pid, code, le, details, clos_le in evenements:
        d, sorties[pid] = details or {}, clos_le
        cle = (pid, d.get("regle", ""), d.get("cle", ""))
        if code == LEVEE and d.get("severite") == Severite.RUPTURE.value:
            ouvertes[cle] = le
        elif code == CLOSE and cle in ouvertes:
            ruptures.append(Rupture(pid, cle[1], ouvertes.pop(cle), le))
    for (pid, regle_, _), levee in ouvertes.items():
        sortie = sorties[pid]  # a sortie recorded late may predate the rupture: no rupture then
        ruptures.append(Rupture(pid, regle_, levee, max(levee, sortie) if sortie else None))
    return [r for r in ruptures if r.jours != 0]  # same-day: a late entry caught up


async def _ruptures(c: Calcul, *where: Any) -> list[Rupture]:
    evenements = await c.lignes(
        c.selection(
            EvenementRow.parcours_id,
            EvenementRow.code,
            EvenementRow.le,
            EvenementRow.details,
            ParcoursRow.clos_le,
            jointure=EvenementRow,
        )
        .where(col(EvenementRow.code).in_((LEVEE, CLOSE)), *where)
        .order_by(col(EvenementRow.parcours_id), col(EvenementRow.seq))
    )
    return _suivre(evenements)


@indicateur(
    code="ruptures_taux",
    theme=Theme.RUPTURES,
    titre="Parcours en rupture aujourd'hui",
    definition="""
        Parmi les parcours non clos, la part de ceux qui ont au moins une alerte de sévérité
        « rupture » active au moment du calcul (une règle de la vigie des ruptures franchie :
        échéance dépassée, sans contact depuis 90 jours, deux rendez-vous non honorés…). Comme
        le statut, les alertes actives ne sont pas historisées : la période choisie est sans
        effet ; les instantanés quotidiens en gardent l'évolution.
    """,
    unite="%",
    dimension="Périmètre",
    colonnes=(
        effectif("en_cours", "Parcours non clos"),
        effectif("en_rupture", "Dont en rupture"),
        part("part", "Part en rupture", "en_rupture", "en_cours"),
    ),
    graphique=Graphique(
        TypeGraphique.SECTEURS, ("en_rupture",), complement=("en_cours", "Sans rupture")
    ),
)
async def ruptures_taux(c: Calcul) -> list[Ligne]:
    non_clos = col(ParcoursRow.statut) != Statut.CLOS.value
    (en_cours,) = (await c.lignes(c.selection(func.count()).where(non_clos)))[0]
    (en_rupture,) = (
        await c.lignes(
            c.selection(func.count(func.distinct(AlerteRow.parcours_id)), jointure=AlerteRow).where(
                non_clos, col(AlerteRow.severite) == Severite.RUPTURE.value
            )
        )
    )[0]
    valeurs = {
        "en_cours": en_cours,
        "en_rupture": en_rupture,
        "part": pourcentage(en_rupture, en_cours),
    }
    return [Ligne("ensemble", "Ensemble", valeurs)]


@indicateur(
    code="ruptures_causes",
    theme=Theme.RUPTURES,
    titre="Ruptures par règle de la vigie",
    definition=f"""
        Les ruptures levées pendant la période (à la date de l'événement « alerte_levee »), par
        règle de la vigie des ruptures (rules/vigie.yaml) : le nombre de ruptures et le nombre
        de parcours concernés (un parcours peut connaître plusieurs ruptures, de la même règle
        ou non). Seules les règles qui ont joué figurent. {UNE_RUPTURE}
    """,
    unite="ruptures",
    dimension="Règle",
    colonnes=(effectif("ruptures", "Ruptures levées"), effectif("parcours", "Parcours concernés")),
    graphique=Graphique(TypeGraphique.BARRES, ("ruptures",), horizontal=True),
)
async def ruptures_causes(c: Calcul) -> list[Ligne]:
    par_regle: dict[str, list[str]] = defaultdict(list)
    for r in await _ruptures(c):
        if c.dans_periode(r.levee):
            par_regle[r.regle].append(r.parcours_id)
    ordre = sorted(par_regle, key=lambda code: (-len(par_regle[code]), code))
    return [
        Ligne(
            code,
            regle(code),
            {"ruptures": len(par_regle[code]), "parcours": len(set(par_regle[code]))},
        )
        for code in ordre
    ]


def _ligne_durees(cle: str, libelle: str, durees: list[int]) -> Ligne:
    valeurs = {"resolues": len(durees), "mediane": mediane(durees), "p80": centile_80(durees)}
    return Ligne(cle, libelle, valeurs)


@indicateur(
    code="ruptures_resolution",
    theme=Theme.RUPTURES,
    titre="Délai de résolution des ruptures",
    definition=f"""
        Les ruptures terminées pendant la période (à la date de l'événement « alerte_close »)
        et leur durée en jours calendaires : médiane et 80ᵉ centile (mêmes conventions que pour
        le temps passé dans chaque phase), pour l'ensemble puis par règle. Les ruptures encore
        ouvertes ne sont pas comptées. {UNE_RUPTURE}
    """,
    unite="jours",
    dimension="Règle",
    colonnes=(
        effectif("resolues", "Ruptures terminées"),
        jours("mediane", "Durée médiane", "resolues"),
        jours("p80", "80ᵉ centile de la durée", "resolues"),
    ),
    graphique=Graphique(TypeGraphique.BARRES, ("mediane", "p80"), horizontal=True),
)
async def ruptures_resolution(c: Calcul) -> list[Ligne]:
    finies = [r for r in await _ruptures(c) if r.jours is not None and c.dans_periode(r.close)]
    par_regle: dict[str, list[int]] = defaultdict(list)
    for r in finies:
        par_regle[r.regle].append(r.jours or 0)
    lignes = [_ligne_durees("ensemble", "Toutes les règles", [r.jours or 0 for r in finies])]
    lignes += [_ligne_durees(code, regle(code), par_regle[code]) for code in sorted(par_regle)]
    return lignes


@indicateur(
    code="ruptures_part",
    theme=Theme.RUPTURES,
    titre="Parcours ayant connu au moins une rupture",
    definition=f"""
        Parmi les parcours entrés pendant la période (date d'accueil), la part de ceux qui ont
        connu au moins une rupture, à n'importe quel moment jusqu'au calcul, terminée ou non.
        {UNE_RUPTURE}
    """,
    unite="%",
    dimension="Périmètre",
    colonnes=(
        effectif("entres", "Parcours entrés"),
        effectif("avec_rupture", "Dont au moins une rupture"),
        part("part", "Part ayant connu une rupture", "avec_rupture", "entres"),
    ),
    graphique=Graphique(
        TypeGraphique.SECTEURS, ("avec_rupture",), complement=("entres", "Jamais en rupture")
    ),
)
async def ruptures_part(c: Calcul) -> list[Ligne]:
    entres = c.periode(col(ParcoursRow.ouvert_le))
    (total,) = (await c.lignes(c.selection(func.count()).where(*entres)))[0]
    avec = len({r.parcours_id for r in await _ruptures(c, *entres)})
    valeurs = {"entres": total, "avec_rupture": avec, "part": pourcentage(avec, total)}
    return [Ligne("ensemble", "Ensemble", valeurs)]
