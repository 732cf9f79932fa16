"""Every indicator of the twelve parcours of tests/observatoire/jeu.py, computed by hand.

The expected figures are written out literally; the comments show the hand computation
(durations in days, sorted, median and 80th percentile by nearest rank ⌈0,8 n⌉)."""

from __future__ import annotations

from datetime import date
from typing import Any

from observatoire.catalogue import INDICATEURS, calculer
from observatoire.modele import Filtres
from schemas.common import Organisme, Territoire
from store.db import SessionFactory
from tests.observatoire.jeu import REFERENCE


async def tableaux(sessions: SessionFactory, f: Filtres) -> dict[str, dict[str, dict[str, Any]]]:
    async with sessions() as session:
        resultats = await calculer(session, f, REFERENCE)
    return {
        r.indicateur.code: {ligne.cle: dict(ligne.valeurs) for ligne in r.lignes} for r in resultats
    }


def colonne(t: dict[str, dict[str, Any]], code: str) -> dict[str, Any]:
    return {cle: valeurs[code] for cle, valeurs in t.items()}


async def test_chaque_indicateur_a_une_definition_et_ses_colonnes() -> None:
    assert len(INDICATEURS) == 19
    assert len({i.code for i in INDICATEURS}) == 19
    for i in INDICATEURS:
        assert len(i.definition) > 80, i.code
        for c in i.colonnes:
            assert all(b in {x.code for x in i.colonnes} for b in c.base), (i.code, c.code)


async def test_stock_et_flux(lecture: SessionFactory) -> None:
    t = await tableaux(lecture, Filtres(au=REFERENCE))
    # open on 30 June: 2 (emploi), 3 (emploi), 6 (orientation), 7 (emploi), 8 (diagnostic),
    # 10 (orientation), 12 (accueil); 1, 4, 5, 9, 11 have left
    assert colonne(t["stock_phase"], "parcours") == {
        "accueil": 1, "diagnostic": 1, "orientation": 2, "contrat": 0, "pmsmp": 0, "emploi": 3,
    }  # fmt: skip
    assert colonne(t["stock_statut"], "parcours") == {
        "en_cours": 3, "en_alerte": 1, "en_rupture": 2, "en_incident": 0, "suspendu": 1,
    }  # fmt: skip
    flux = t["flux_mensuels"]
    assert list(flux) == [f"2025-{m:02d}" for m in range(6, 13)] + [
        f"2026-{m:02d}" for m in range(1, 7)
    ]
    assert sum(v["entrees"] for v in flux.values()) == 12
    assert flux["2026-06"] == {"entrees": 0, "sorties": 0}
    assert {m: v["sorties"] for m, v in flux.items() if v["sorties"]} == {
        "2026-02": 1, "2026-03": 2, "2026-04": 1, "2026-05": 1,
    }  # fmt: skip


async def test_le_stock_se_lit_a_la_fin_de_la_periode(lecture: SessionFactory) -> None:
    t = await tableaux(lecture, Filtres(au=date(2025, 12, 31)))
    # open on 31 Dec 2025: 1, 2, 11 in emploi; 3, 4 under contract; 5 oriented; 6 diagnosed
    assert colonne(t["stock_phase"], "parcours") == {
        "accueil": 0, "diagnostic": 1, "orientation": 1, "contrat": 2, "pmsmp": 0, "emploi": 3,
    }  # fmt: skip


async def test_la_periode_borne_les_flux_et_les_sorties(lecture: SessionFactory) -> None:
    t = await tableaux(lecture, Filtres(du=date(2026, 1, 1), au=date(2026, 3, 31)))
    assert t["flux_mensuels"] == {
        "2026-01": {"entrees": 1, "sorties": 0},
        "2026-02": {"entrees": 1, "sorties": 1},
        "2026-03": {"entrees": 1, "sorties": 2},
    }
    # sorties of 1 (emploi durable), 4 (abandon), 9 (déménagement)
    assert t["sorties_positives"]["ensemble"] == {"sorties": 3, "positives": 1, "part": 33.3}


async def test_delais(lecture: SessionFactory) -> None:
    t = await tableaux(lecture, Filtres(au=REFERENCE))
    phases = t["duree_phases"]
    # accueil: 4 7 7 7 7 7 8 8 14 14 28 → median 7 (6th), P80 14 (9th)
    assert phases["accueil"] == {"passages": 11, "mediane": 7, "p80": 14}
    # diagnostic: 10 14 14 18 18 21 22 46 48 → median 18 (5th), P80 46 (8th)
    assert phases["diagnostic"] == {"passages": 9, "mediane": 18, "p80": 46}
    # orientation: 7 11 15 16 19 41 48 → median 16 (4th), P80 41 (6th)
    assert phases["orientation"] == {"passages": 7, "mediane": 16, "p80": 41}
    # contrat: 5 14 16 16 30 46 53 62 92 98 104 105 → median (46+53)/2, P80 98 (10th)
    assert phases["contrat"] == {"passages": 12, "mediane": 49.5, "p80": 98}
    assert phases["pmsmp"] == {"passages": 3, "mediane": 14, "p80": 14}
    # emploi: 117 122 181 (three stays still running are not counted)
    assert phases["emploi"] == {"passages": 3, "mediane": 122, "p80": 181}
    # orientations within a month of the diagnostic: all but 2 (48 days) and 6 (46 days)
    assert t["delai_orientation"]["ensemble"] == {"total": 9, "dans_le_mois": 7, "part": 77.8}
    # contracts within a month of the orientation: all but 3 and 5; 6 was never signed
    assert t["delai_contrat"]["ensemble"] == {"total": 7, "dans_le_mois": 5, "part": 71.4}


async def test_ruptures(lecture: SessionFactory) -> None:
    t = await tableaux(lecture, Filtres(au=REFERENCE))
    assert t["ruptures_taux"]["ensemble"] == {"en_cours": 7, "en_rupture": 2, "part": 28.6}
    assert t["ruptures_causes"] == {
        "echeance_depassee": {"ruptures": 4, "parcours": 3},
        "point_suivi_en_retard": {"ruptures": 1, "parcours": 1},
        "silence_rupture": {"ruptures": 1, "parcours": 1},
    }
    # ended: 4 after 36 days (by its sortie), 5 after 17, 6 after 14 (its second one still
    # runs), 7 after 4
    assert t["ruptures_resolution"] == {
        "ensemble": {"resolues": 4, "mediane": 15.5, "p80": 36},
        "echeance_depassee": {"resolues": 2, "mediane": 15.5, "p80": 17},
        "point_suivi_en_retard": {"resolues": 1, "mediane": 4, "p80": 4},
        "silence_rupture": {"resolues": 1, "mediane": 36, "p80": 36},
    }
    # 4, 5, 6, 7, 8 ever broke (the alerts of 7, 8 and 10 are no ruptures, nor the rupture of
    # 10 raised and closed on the same day, nor that of 9 raised after its sortie)
    assert t["ruptures_part"]["ensemble"] == {"entres": 12, "avec_rupture": 5, "part": 41.7}


async def test_pmsmp(lecture: SessionFactory) -> None:
    t = await tableaux(lecture, Filtres(au=REFERENCE))
    # 2 (done, hired 17 days later), 3 (partly done, hired after more than three months),
    # 4 (cancelled), 7 (done, hired 19 days later)
    assert t["pmsmp"]["ensemble"] == {
        "prescrites": 4,
        "annulees": 1,
        "avec_bilan": 3,
        "realisees": 2,
        "part_realisees": 66.7,
        "embauche": 2,
        "part_embauche": 66.7,
    }


async def test_sorties_et_emploi(lecture: SessionFactory) -> None:
    t = await tableaux(lecture, Filtres(au=REFERENCE))
    motifs = {cle: v for cle, v in t["sorties_motif"].items() if v["sorties"]}
    assert motifs == {
        "emploi_durable": {"sorties": 1, "part": 20},
        "formation_qualifiante": {"sorties": 1, "part": 20},
        "demenagement": {"sorties": 1, "part": 20},
        "abandon": {"sorties": 1, "part": 20},
        "fin_de_droits": {"sorties": 1, "part": 20},
    }
    assert t["sorties_motif"]["radiation"] == {"sorties": 0, "part": 0}
    assert t["sorties_positives"]["ensemble"] == {"sorties": 5, "positives": 2, "part": 40}
    # hired at least 180 days before 30 June: 1 (still employed), 2 (first job ended on
    # 28 Feb, but a new one covers 2 May), 11 (dismissed 31 Jan); 3 and 7 are too recent
    assert t["emploi_j180"]["ensemble"] == {"embauches": 3, "en_emploi": 2, "part": 66.7}


async def test_freins(lecture: SessionFactory) -> None:
    t = await tableaux(lecture, Filtres(au=REFERENCE))
    prevalence = t["freins_prevalence"]
    assert {v["diagnostiques"] for v in prevalence.values()} == {10}
    assert {f: (v["presents"], v["bloquants"]) for f, v in prevalence.items()} == {
        "sante": (1, 0), "famille": (2, 1), "mobilite": (9, 3), "logement": (1, 1),
        "langue": (2, 1), "confiance": (2, 0), "competences": (2, 1), "numerique": (2, 1),
    }  # fmt: skip
    assert prevalence["mobilite"]["part_presents"] == 90
    assert prevalence["mobilite"]["part_bloquants"] == 30
    assert prevalence["sante"]["part_presents"] == 10
    # rediagnosed: 2 (mobilité lifted, numérique not) and 3 (famille and confiance lifted;
    # mobilité lifted at the second diagnostic but back at the third, the latest)
    resolution = {
        f: (v["presents"], v["leves"], v["part"]) for f, v in t["freins_resolution"].items()
    }
    assert resolution == {
        "sante": (0, 0, None), "famille": (1, 1, 100), "mobilite": (2, 1, 50),
        "logement": (0, 0, None), "langue": (0, 0, None), "confiance": (1, 1, 100),
        "competences": (0, 0, None), "numerique": (1, 0, 0),
    }  # fmt: skip


async def test_cohorte_organisme_et_territoire(lecture: SessionFactory) -> None:
    t = await tableaux(lecture, Filtres(cohorte=date(2025, 11, 1), au=REFERENCE))
    assert t["ruptures_part"]["ensemble"] == {"entres": 1, "avec_rupture": 1, "part": 100}  # n° 5
    assert t["sorties_positives"]["ensemble"] == {"sorties": 1, "positives": 1, "part": 100}
    t = await tableaux(lecture, Filtres(organisme=Organisme.FRANCE_TRAVAIL, au=REFERENCE))
    # 2, 5, 10: orientations of 2 late, 5 and 10 on time
    assert t["delai_orientation"]["ensemble"] == {"total": 3, "dans_le_mois": 2, "part": 66.7}
    t = await tableaux(lecture, Filtres(territoire=Territoire.CHABLAIS, au=REFERENCE))
    assert t["ruptures_part"]["ensemble"] == {"entres": 2, "avec_rupture": 0, "part": 0}
    assert t["emploi_j180"]["ensemble"] == {"embauches": 1, "en_emploi": 0, "part": 0}
    assert colonne(t["stock_statut"], "parcours")["suspendu"] == 1
