"""The employers' side (issue 24): offers by label, proposals that ended in a hiring, hours
of social clauses done, by bassin.

Offers and contracts belong to a bassin, not to a parcours: the reader's scope is brought to
them as the bassins of the parcours they see (a coordinator's own, the administration's
every bassin with parcours), or the territory chosen in the filters."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from sqlmodel import col, select

from observatoire.calcul import Calcul
from observatoire.modele import (
    Graphique,
    Ligne,
    Theme,
    TypeGraphique,
    effectif,
    heures,
    indicateur,
    part,
)
from observatoire.stats import pourcentage
from schemas.common import Territoire
from schemas.employeur import StatutProposition
from store.clauses import ClauseSocialeRow, PlacementClauseRow
from store.employeurs import OffreRow, PropositionRow
from store.parcours import ParcoursRow

# A proposal that led to an interview: still at « entretien », or hired after it.
APRES_ENTRETIEN = frozenset({StatutProposition.ENTRETIEN.value, StatutProposition.EMBAUCHEE.value})


async def bassins_lus(c: Calcul) -> list[Territoire]:
    """The bassins the reader sees, in the usual order."""
    if c.filtres.territoire is not None:
        return [c.filtres.territoire]
    vus = {t for (t,) in await c.lignes(c.selection(ParcoursRow.territoire).distinct())}
    return [t for t in Territoire if t.value in vus]


def _ligne(t: Territoire, valeurs: dict[str, float | None]) -> Ligne:
    return Ligne(t.value, t.label, valeurs)


@indicateur(
    code="offres_par_label",
    theme=Theme.EMPLOYEURS,
    titre="Offres d'emploi et label « offre inclusive »",
    definition="""
        Les offres d'emploi saisies par les chargés de relation entreprise ou importées, dont
        la date d'enregistrement tombe dans la période, par bassin du lieu de l'offre : leur
        nombre, dont celles où l'employeur s'engage (label « offre inclusive »), et la part de
        ces dernières. Les offres d'un bassin que le lecteur ne voit pas (un coordinateur voit
        le sien) ne sont pas comptées.
    """,
    unite="offres",
    dimension="Bassin",
    colonnes=(
        effectif("offres", "Offres"),
        effectif("inclusives", "Dont offres inclusives"),
        part("part_inclusives", "Part d'offres inclusives", "inclusives", "offres"),
    ),
    graphique=Graphique(TypeGraphique.BARRES, ("offres", "inclusives")),
)
async def offres_par_label(c: Calcul) -> list[Ligne]:
    bassins = await bassins_lus(c)
    rows = (
        await c.session.exec(
            select(OffreRow.bassin, OffreRow.inclusive, OffreRow.cree_le).where(
                col(OffreRow.bassin).in_([b.value for b in bassins])
            )
        )
    ).all()
    offres, inclusives = Counter[str](), Counter[str]()
    for bassin, inclusive, cree_le in rows:
        if bassin is not None and c.dans_periode(cree_le.date()):
            offres[bassin] += 1
            inclusives[bassin] += 1 if inclusive else 0
    return [
        _ligne(
            b,
            {
                "offres": offres[b.value],
                "inclusives": inclusives[b.value],
                "part_inclusives": pourcentage(inclusives[b.value], offres[b.value]),
            },
        )
        for b in bassins
    ]


@indicateur(
    code="propositions_embauches",
    theme=Theme.EMPLOYEURS,
    titre="Offres proposées aux personnes : entretiens et embauches",
    definition="""
        Les offres proposées par un chargé de relation entreprise à une personne du vivier
        (parcours de la population), dont la date de la proposition tombe dans la période, par
        bassin du lieu de l'offre : leur nombre, celles qui ont mené à un entretien (suite
        « entretien » ou « embauchée » notée par le référent), celles qui ont mené à une
        embauche (« embauchée »), et la part des propositions suivies d'une embauche. Une
        proposition n'a qu'une suite, la dernière notée ; celles d'un parcours anonymisé ne
        sont plus comptées.
    """,
    unite="propositions",
    dimension="Bassin",
    colonnes=(
        effectif("propositions", "Propositions"),
        effectif("entretiens", "Suivies d'un entretien"),
        effectif("embauchees", "Suivies d'une embauche"),
        part("conversion", "Part suivie d'une embauche", "embauchees", "propositions"),
    ),
    graphique=Graphique(TypeGraphique.BARRES, ("propositions", "entretiens", "embauchees")),
)
async def propositions_embauches(c: Calcul) -> list[Ligne]:
    bassins = await bassins_lus(c)
    rows = await c.lignes(
        c.selection(
            OffreRow.bassin, PropositionRow.statut, PropositionRow.cree_le, jointure=PropositionRow
        ).join(OffreRow, col(OffreRow.id) == col(PropositionRow.offre_id))
    )
    compte: dict[str, Counter[str]] = defaultdict(Counter)
    for bassin, statut, cree_le in rows:
        if c.dans_periode(cree_le.date()):
            compte[bassin]["propositions"] += 1
            compte[bassin]["entretiens"] += 1 if statut in APRES_ENTRETIEN else 0
            compte[bassin]["embauchees"] += 1 if statut == StatutProposition.EMBAUCHEE else 0
    lignes = []
    for b in bassins:
        n = compte[b.value]
        valeurs: dict[str, float | None] = {k: n[k] for k in ("propositions", "entretiens")}
        valeurs["embauchees"] = n["embauchees"]
        valeurs["conversion"] = pourcentage(n["embauchees"], n["propositions"])
        lignes.append(_ligne(b, valeurs))
    return lignes


def _en_cours(c: Calcul, debut: date, fin: date) -> bool:
    """The contract runs for at least a day of the period."""
    f = c.filtres
    return (f.au is None or debut <= f.au) and (f.du is None or fin >= f.du)


@indicateur(
    code="heures_clauses",
    theme=Theme.EMPLOYEURS,
    titre="Clauses sociales : heures d'insertion exigées et réalisées",
    definition="""
        Les marchés publics à clause d'insertion en cours pendant la période (leur début au
        plus tard à la fin de la période, leur fin au plus tôt à son début), par bassin du
        lieu d'exécution : leur nombre, les personnes qui y ont été placées (celles dont le
        parcours a été anonymisé depuis comprises), les heures d'insertion exigées et celles
        réalisées (le total saisi pour chaque personne placée, à ce jour), et la part des
        heures exigées déjà réalisées. Les heures ne sont pas montrées quand le nombre de
        personnes est masqué.
    """,
    unite="heures",
    dimension="Bassin",
    colonnes=(
        effectif("marches", "Marchés"),
        effectif("personnes", "Personnes placées"),
        heures("heures_exigees", "Heures exigées", "personnes"),
        heures("heures_realisees", "Heures réalisées", "personnes"),
        part("part_realisee", "Part des heures réalisée", "personnes"),
    ),
    graphique=Graphique(TypeGraphique.BARRES, ("heures_exigees", "heures_realisees")),
)
async def heures_clauses(c: Calcul) -> list[Ligne]:
    bassins = await bassins_lus(c)
    requete = select(ClauseSocialeRow).where(
        col(ClauseSocialeRow.bassin).in_([b.value for b in bassins])
    )
    marches = [m for m in (await c.session.exec(requete)).all() if _en_cours(c, m.debut, m.fin)]
    heures_placees = select(PlacementClauseRow.clause_id, PlacementClauseRow.heures_realisees)
    par_marche: dict[str, list[float]] = defaultdict(list)
    ids = [m.id for m in marches]
    for clause_id, h in (
        await c.session.exec(heures_placees.where(col(PlacementClauseRow.clause_id).in_(ids)))
    ).all():
        par_marche[clause_id].append(h)
    lignes = []
    for b in bassins:
        ceux = [m for m in marches if m.bassin == b.value]
        exigees = sum(m.heures_exigees for m in ceux)
        realisees = sum(sum(par_marche[m.id]) for m in ceux)
        valeurs: dict[str, float | None] = {
            "marches": len(ceux),
            "personnes": sum(len(par_marche[m.id]) for m in ceux),
            "heures_exigees": exigees,
            "heures_realisees": realisees,
            "part_realisee": round(100 * realisees / exigees, 1) if exigees else None,
        }
        lignes.append(_ligne(b, valeurs))
    return lignes
