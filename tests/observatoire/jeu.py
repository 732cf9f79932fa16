"""Twelve parcours with chosen dates, phases and outcomes (ten in the Bassin annécien, two in
the Chablais). The tests compute every indicator of this set by hand; the day of reference
is 30 June 2026.

  n°  accueil     path (phase changes)                               end
  1   2025-06-02  diag 06-10, orient. 06-20, contrat 07-01, emploi 09-01   sortie emploi durable 2026-03-01
  2   2025-07-01  diag 07-15, orient. 09-01, contrat 09-20, PMSMP, emploi 11-03 (ends 02-28),
                  contrat 2026-02-28, emploi 04-15                     open
  3   2025-09-15  diag 09-22, orient. 10-10, contrat 11-20, PMSMP, emploi 2026-05-04   open
  4   2025-10-01  diag 10-08, orient. 10-30, contrat 11-15 (PMSMP cancelled)  sortie abandon 2026-02-15
  5   2025-11-03  diag 11-10, orient. 11-28, contrat 2026-01-15         sortie formation 2026-04-30
  6   2025-12-01  diag 12-05, orient. 2026-01-20 (contract never signed)   open, en rupture
  7   2026-01-12  diag 01-20, orient. 02-10, contrat 02-25, PMSMP, emploi 04-01   open
  8   2026-02-02  diag 02-16                                            open, en rupture
  9   2026-03-02  —                                                     sortie déménagement 03-30
                  (recorded late: a rupture was raised on 04-02 meanwhile, not counted)
  10  2026-04-06  diag 04-13, orient. 04-27                             open, en alerte
                  (a rupture raised and closed the same day: not counted)
  11  2025-08-04  diag 08-11, orient. 08-25, contrat 09-01, emploi 10-01 (ends 2026-01-31)
                  (Chablais)                                            sortie fin de droits 05-15
  12  2026-05-04  — (Chablais)                                          open, suspendu
"""

from __future__ import annotations

from datetime import date

from schemas.common import Organisme, Territoire
from schemas.diagnostic import Frein
from schemas.parcours import Phase
from schemas.pmsmp import ResultatPmsmp
from schemas.sortie import MotifSortie
from schemas.vigie import Severite
from tests.factories import diagnostic
from tests.observatoire.dossiers import Dossier

REFERENCE = date(2026, 6, 30)
A, C = Territoire.BASSIN_ANNECIEN, Territoire.CHABLAIS
ACC, DIAG, ORI, CON, PMS, EMP, SOR = (
    Phase.ACCUEIL,
    Phase.DIAGNOSTIC,
    Phase.ORIENTATION,
    Phase.CONTRAT,
    Phase.PMSMP,
    Phase.EMPLOI,
    Phase.SORTIE,
)
SANTE, FAMILLE, MOBILITE, LOGEMENT = Frein.SANTE, Frein.FAMILLE, Frein.MOBILITE, Frein.LOGEMENT
LANGUE, CONFIANCE, COMPETENCES, NUMERIQUE = (
    Frein.LANGUE,
    Frein.CONFIANCE,
    Frein.COMPETENCES,
    Frein.NUMERIQUE,
)
RUPTURE, ALERTE = Severite.RUPTURE, Severite.ALERTE
LEVEE, CLOSE = "alerte_levee", "alerte_close"


def d(annee: int, mois: int, jour: int) -> date:
    return date(annee, mois, jour)


DOSSIERS = [
    Dossier(
        1, "Zéphyrine", "Quenouille", A, Organisme.CONSEIL_DEPARTEMENTAL,
        [(ACC, d(2025, 6, 2)), (DIAG, d(2025, 6, 10)), (ORI, d(2025, 6, 20)), (CON, d(2025, 7, 1)),
         (EMP, d(2025, 9, 1)), (SOR, d(2026, 3, 1))],
        diagnostics=[diagnostic(d(2025, 6, 10), bloquants=(MOBILITE,), a_travailler=(LANGUE,))],
        orientations=[d(2025, 6, 20)],
        contrats=[(d(2025, 6, 30), d(2025, 7, 1))],  # signed when the second party signs
        emplois=[(d(2025, 9, 1), None)],
        sortie=(d(2026, 3, 1), MotifSortie.EMPLOI_DURABLE),
    ),
    Dossier(
        2, "Barnabé", "Tartempion", A, Organisme.FRANCE_TRAVAIL,
        [(ACC, d(2025, 7, 1)), (DIAG, d(2025, 7, 15)), (ORI, d(2025, 9, 1)), (CON, d(2025, 9, 20)),
         (PMS, d(2025, 10, 6)), (CON, d(2025, 10, 20)), (EMP, d(2025, 11, 3)),
         (CON, d(2026, 2, 28)), (EMP, d(2026, 4, 15))],
        diagnostics=[
            diagnostic(d(2025, 7, 15), bloquants=(NUMERIQUE,), a_travailler=(MOBILITE,)),
            diagnostic(d(2026, 3, 15), a_travailler=(NUMERIQUE,)),
        ],
        orientations=[d(2025, 9, 1)],
        contrats=[(d(2025, 9, 20), d(2025, 9, 20))],
        pmsmp=[(d(2025, 10, 6), d(2025, 10, 17), ResultatPmsmp.REALISEE, False)],
        emplois=[(d(2025, 11, 3), d(2026, 2, 28)), (d(2026, 4, 15), None)],
    ),
    Dossier(
        3, "Ombeline", "Farigoule", A, Organisme.CONSEIL_DEPARTEMENTAL,
        [(ACC, d(2025, 9, 15)), (DIAG, d(2025, 9, 22)), (ORI, d(2025, 10, 10)),
         (CON, d(2025, 11, 20)), (PMS, d(2026, 1, 12)), (CON, d(2026, 1, 26)), (EMP, d(2026, 5, 4))],
        diagnostics=[
            diagnostic(d(2025, 9, 22), bloquants=(FAMILLE,), a_travailler=(MOBILITE, CONFIANCE)),
            diagnostic(d(2026, 2, 10), a_travailler=(FAMILLE,)),
            diagnostic(d(2026, 4, 20), a_travailler=(MOBILITE,)),
        ],
        orientations=[d(2025, 10, 10)],
        contrats=[(d(2025, 11, 20), d(2025, 11, 20))],
        pmsmp=[(d(2026, 1, 12), d(2026, 1, 23), ResultatPmsmp.PARTIELLE, False)],
        emplois=[(d(2026, 5, 4), None)],
    ),
    Dossier(
        4, "Théodule", "Mirabeille", A, Organisme.MISSION_LOCALE,
        [(ACC, d(2025, 10, 1)), (DIAG, d(2025, 10, 8)), (ORI, d(2025, 10, 30)),
         (CON, d(2025, 11, 15)), (SOR, d(2026, 2, 15))],
        diagnostics=[
            diagnostic(d(2025, 10, 8), bloquants=(LANGUE,), a_travailler=(COMPETENCES, MOBILITE))
        ],
        orientations=[d(2025, 10, 30)],
        contrats=[(d(2025, 11, 15), d(2025, 11, 15))],
        pmsmp=[(d(2025, 12, 1), d(2025, 12, 12), None, True)],
        sortie=(d(2026, 2, 15), MotifSortie.ABANDON),
        vigie=[(LEVEE, d(2026, 1, 10), "silence_rupture", "silence", RUPTURE)],  # until sortie
    ),
    Dossier(
        5, "Philomène", "Cornebidouille", A, Organisme.FRANCE_TRAVAIL,
        [(ACC, d(2025, 11, 3)), (DIAG, d(2025, 11, 10)), (ORI, d(2025, 11, 28)),
         (CON, d(2026, 1, 15)), (SOR, d(2026, 4, 30))],
        diagnostics=[diagnostic(d(2025, 11, 10), bloquants=(MOBILITE,), a_travailler=(SANTE,))],
        orientations=[d(2025, 11, 28)],
        contrats=[(d(2026, 1, 15), d(2026, 1, 15))],
        sortie=(d(2026, 4, 30), MotifSortie.FORMATION_QUALIFIANTE),
        vigie=[
            (LEVEE, d(2025, 12, 29), "echeance_depassee", "contrat_a_signer", RUPTURE),
            (CLOSE, d(2026, 1, 15), "echeance_depassee", "contrat_a_signer", RUPTURE),
        ],
    ),
    Dossier(
        6, "Anatole", "Patafiole", A, Organisme.CONSEIL_DEPARTEMENTAL,
        [(ACC, d(2025, 12, 1)), (DIAG, d(2025, 12, 5)), (ORI, d(2026, 1, 20))],
        diagnostics=[diagnostic(d(2025, 12, 5), bloquants=(LOGEMENT,), a_travailler=(MOBILITE,))],
        orientations=[d(2026, 1, 20)],
        contrats=[(d(2026, 2, 10), None)],  # the référent never signed
        alertes=[("echeance_depassee", "contrat_a_signer", RUPTURE, d(2026, 2, 21))],
        vigie=[
            (LEVEE, d(2026, 1, 6), "echeance_depassee", "orientation_a_decider", RUPTURE),
            (CLOSE, d(2026, 1, 20), "echeance_depassee", "orientation_a_decider", RUPTURE),
            (LEVEE, d(2026, 2, 21), "echeance_depassee", "contrat_a_signer", RUPTURE),
        ],
    ),
    Dossier(
        7, "Eulalie", "Grenouillet", A, Organisme.PLIE,
        [(ACC, d(2026, 1, 12)), (DIAG, d(2026, 1, 20)), (ORI, d(2026, 2, 10)),
         (CON, d(2026, 2, 25)), (PMS, d(2026, 3, 2)), (CON, d(2026, 3, 16)), (EMP, d(2026, 4, 1))],
        diagnostics=[
            diagnostic(d(2026, 1, 20), bloquants=(COMPETENCES,), a_travailler=(NUMERIQUE, MOBILITE))
        ],
        orientations=[d(2026, 2, 10)],
        contrats=[(d(2026, 2, 24), d(2026, 2, 25))],
        pmsmp=[(d(2026, 3, 2), d(2026, 3, 13), ResultatPmsmp.REALISEE, False)],
        emplois=[(d(2026, 4, 1), None)],
        vigie=[  # an alert (not a rupture) that came and went, then a rupture
            (LEVEE, d(2026, 4, 10), "rdv_a_renseigner", "rdv-1", ALERTE),
            (CLOSE, d(2026, 4, 11), "rdv_a_renseigner", "rdv-1", ALERTE),
            (LEVEE, d(2026, 5, 16), "point_suivi_en_retard", "emploi-1:30", RUPTURE),
            (CLOSE, d(2026, 5, 20), "point_suivi_en_retard", "emploi-1:30", RUPTURE),
        ],
    ),
    Dossier(
        8, "Hippolyte", "Fripounet", A, Organisme.CONSEIL_DEPARTEMENTAL,
        [(ACC, d(2026, 2, 2)), (DIAG, d(2026, 2, 16))],
        diagnostics=[diagnostic(d(2026, 2, 16), a_travailler=(CONFIANCE,))],
        alertes=[
            ("echeance_depassee", "orientation_a_decider", RUPTURE, d(2026, 3, 17)),
            ("silence_alerte", "silence", ALERTE, d(2026, 4, 1)),
        ],
        vigie=[
            (LEVEE, d(2026, 3, 17), "echeance_depassee", "orientation_a_decider", RUPTURE),
            (LEVEE, d(2026, 4, 1), "silence_alerte", "silence", ALERTE),
        ],
    ),
    Dossier(
        9, "Léocadie", "Saperlotte", A, Organisme.MISSION_LOCALE,
        [(ACC, d(2026, 3, 2)), (SOR, d(2026, 3, 30))],
        sortie=(d(2026, 3, 30), MotifSortie.DEMENAGEMENT),
        # raised before the (late) sortie was recorded: no rupture either
        vigie=[(LEVEE, d(2026, 4, 2), "sans_referent", "referent", RUPTURE)],
    ),
    Dossier(
        10, "Séraphin", "Bidochon", A, Organisme.FRANCE_TRAVAIL,
        [(ACC, d(2026, 4, 6)), (DIAG, d(2026, 4, 13)), (ORI, d(2026, 4, 27))],
        diagnostics=[diagnostic(d(2026, 4, 13), bloquants=(MOBILITE,), a_travailler=(FAMILLE,))],
        orientations=[d(2026, 4, 27)],
        alertes=[("echeance_proche", "contrat_a_signer", ALERTE, d(2026, 5, 20))],
        vigie=[  # a late entry caught up the same day is no rupture
            (LEVEE, d(2026, 4, 13), "echeance_depassee", "diagnostic_a_realiser", RUPTURE),
            (CLOSE, d(2026, 4, 13), "echeance_depassee", "diagnostic_a_realiser", RUPTURE),
            (LEVEE, d(2026, 5, 20), "echeance_proche", "contrat_a_signer", ALERTE),
        ],
    ),
    Dossier(
        11, "Clothilde", "Galurin", C, Organisme.CONSEIL_DEPARTEMENTAL,
        [(ACC, d(2025, 8, 4)), (DIAG, d(2025, 8, 11)), (ORI, d(2025, 8, 25)), (CON, d(2025, 9, 1)),
         (EMP, d(2025, 10, 1)), (CON, d(2026, 1, 31)), (SOR, d(2026, 5, 15))],
        diagnostics=[diagnostic(d(2025, 8, 11), a_travailler=(MOBILITE,))],
        orientations=[d(2025, 8, 25)],
        contrats=[(d(2025, 9, 1), d(2025, 9, 1))],
        emplois=[(d(2025, 10, 1), d(2026, 1, 31))],
        sortie=(d(2026, 5, 15), MotifSortie.FIN_DE_DROITS),
    ),
    Dossier(
        12, "Gontran", "Zigomar", C, None,
        [(ACC, d(2026, 5, 4))],
        suspendu_le=d(2026, 5, 20),
    ),
]  # fmt: skip

NOMS = [n for dossier in DOSSIERS for n in (dossier.prenom, dossier.nom)]
