"""Stock and flows: how many parcours are open, where they stand, how many enter and leave."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, or_
from sqlmodel import col

from observatoire.calcul import Calcul
from observatoire.libelles import mois_fr
from observatoire.modele import Graphique, Ligne, Theme, TypeGraphique, effectif, indicateur
from observatoire.stats import mois, mois_suivant
from schemas.parcours import Phase, Statut
from store.parcours import ParcoursRow, PhaseRow

PHASES_OUVERTES = [p for p in Phase if p != Phase.SORTIE]
STATUTS_OUVERTS = [s for s in Statut if s != Statut.CLOS]


@indicateur(
    code="stock_phase",
    theme=Theme.STOCK,
    titre="Parcours ouverts par phase",
    definition="""
        Nombre de parcours ouverts le jour de référence (la fin de la période choisie, sinon
        aujourd'hui) : accueillis ce jour-là ou avant (date d'accueil) et pas encore sortis
        (date de sortie postérieure, ou aucune). Chacun est compté dans la phase où il se
        trouvait ce jour-là, d'après l'historique des phases du parcours (un passage dans une
        phase commence le jour de l'étape qui l'ouvre et finit le jour où la suivante commence).
    """,
    unite="parcours",
    dimension="Phase",
    colonnes=(effectif("parcours", "Parcours ouverts"),),
    graphique=Graphique(TypeGraphique.BARRES, ("parcours",)),
)
async def stock_phase(c: Calcul) -> list[Ligne]:
    r = c.reference
    ouverts = await c.lignes(
        c.selection(ParcoursRow.id, ParcoursRow.phase).where(
            col(ParcoursRow.ouvert_le) <= r,
            or_(col(ParcoursRow.clos_le).is_(None), col(ParcoursRow.clos_le) > r),
        )
    )
    sejours = await c.lignes(
        c.selection(PhaseRow.parcours_id, PhaseRow.phase, jointure=PhaseRow)
        .where(col(PhaseRow.du) <= r, or_(col(PhaseRow.au).is_(None), col(PhaseRow.au) > r))
        .order_by(col(PhaseRow.ordre))
    )
    phase_du_jour = {pid: phase for pid, phase in sejours}  # the latest stay wins
    compte = Counter(phase_du_jour.get(pid, actuelle) for pid, actuelle in ouverts)
    return [Ligne(p.value, p.label, {"parcours": compte[p.value]}) for p in PHASES_OUVERTES]


@indicateur(
    code="stock_statut",
    theme=Theme.STOCK,
    titre="Parcours en cours par statut",
    definition="""
        Nombre de parcours non clos, selon leur statut actuel : en cours, en alerte (une
        échéance approche ou un point est à faire), en rupture (une règle de la vigie des
        ruptures est franchie), en incident (un appel à un partenaire a échoué), suspendu.
        Le statut n'est pas historisé : cet indicateur décrit toujours la situation au moment
        du calcul, quelle que soit la période choisie.
    """,
    unite="parcours",
    dimension="Statut",
    colonnes=(effectif("parcours", "Parcours"),),
    graphique=Graphique(TypeGraphique.SECTEURS, ("parcours",)),
)
async def stock_statut(c: Calcul) -> list[Ligne]:
    rows = await c.lignes(
        c.selection(ParcoursRow.statut, func.count())
        .where(col(ParcoursRow.statut) != Statut.CLOS.value)
        .group_by(col(ParcoursRow.statut))
    )
    compte = dict(rows)
    return [Ligne(s.value, s.label, {"parcours": compte.get(s.value, 0)}) for s in STATUTS_OUVERTS]


@indicateur(
    code="flux_mensuels",
    theme=Theme.STOCK,
    titre="Entrées et sorties par mois",
    definition="""
        Pour chaque mois de la période (du premier mois où un parcours est entré, si la période
        n'a pas de début, jusqu'au mois du jour de référence) : les entrées sont les parcours
        dont la date d'accueil tombe dans le mois, les sorties ceux dont la date de sortie
        (événement « sortie ») tombe dans le mois, quel qu'en soit le motif.
    """,
    unite="parcours",
    dimension="Mois",
    colonnes=(effectif("entrees", "Entrées"), effectif("sorties", "Sorties")),
    graphique=Graphique(TypeGraphique.BARRES, ("entrees", "sorties")),
)
async def flux_mensuels(c: Calcul) -> list[Ligne]:
    ouvert, clos = col(ParcoursRow.ouvert_le), col(ParcoursRow.clos_le)
    entrees = [j for (j,) in await c.lignes(c.selection(ouvert).where(*c.periode(ouvert)))]
    sorties = [
        j for (j,) in await c.lignes(c.selection(clos).where(clos.is_not(None), *c.periode(clos)))
    ]
    if c.filtres.du is not None:
        debut = mois(c.filtres.du)
    elif entrees or sorties:
        debut = mois(min(entrees + sorties))
    else:
        return []
    par_mois_e, par_mois_s = Counter(map(mois, entrees)), Counter(map(mois, sorties))
    lignes, m = [], debut
    while m <= mois(c.reference):
        valeurs = {"entrees": par_mois_e[m], "sorties": par_mois_s[m]}
        lignes.append(Ligne(m.strftime("%Y-%m"), mois_fr(m), valeurs))
        m = mois_suivant(m)
    return lignes
