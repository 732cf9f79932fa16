"""Free slots as a person would see them: the référent's weekly plages, cut by the motif's
duration, never on a public holiday, during leave, or over a quarter already taken."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from agendas.creneaux import creneaux_libres, quarts
from core.clock import PARIS
from rules.calendrier import jours_feries_france
from rules.rendez_vous import regles_rendez_vous
from schemas.agenda import Absence, Creneau, JourSemaine, MotifRdv, Plage
from schemas.rdv import ModeRdv

CLAIRE = "ref-claire-martin"
LONGTEMPS = datetime(2000, 1, 1, tzinfo=UTC)
REGLES = regles_rendez_vous()


def _motif(code: str) -> MotifRdv:
    motif = REGLES.motif(code)
    assert motif is not None, code
    return motif


ACCOMPAGNEMENT, ORIENTATION = _motif("accompagnement"), _motif("orientation")


def plage(jour: JourSemaine, debut: time, fin: time, *motifs: str) -> Plage:
    return Plage(
        id=f"plage-{jour.value}",
        compte_id=CLAIRE,
        jour=jour,
        debut=debut,
        fin=fin,
        modalite=ModeRdv.TELEPHONE,
        motifs=list(motifs),
        du=date(2026, 1, 1),
    )


def heures(creneaux: list[Creneau]) -> list[str]:
    return [c.debut.astimezone(PARIS).strftime("%d/%m %H:%M") for c in creneaux]


def test_une_plage_decoupee_selon_la_duree_du_motif() -> None:
    mardi = plage(JourSemaine.MARDI, time(9), time(11), "accompagnement", "orientation")
    # Tuesday 1 December 2026: 30-minute accompaniment, 45-minute orientation.
    un_jour = (date(2026, 12, 1), date(2026, 12, 1))
    assert heures(creneaux_libres([mardi], [], [], set(), ACCOMPAGNEMENT, *un_jour, LONGTEMPS)) == [
        "01/12 09:00",
        "01/12 09:30",
        "01/12 10:00",
        "01/12 10:30",
    ]
    assert heures(creneaux_libres([mardi], [], [], set(), ORIENTATION, *un_jour, LONGTEMPS)) == [
        "01/12 09:00",
        "01/12 09:45",
    ]


def test_ni_jour_ferie_ni_absence_ni_motif_non_recu() -> None:
    vendredi = plage(JourSemaine.VENDREDI, time(14), time(15), "accompagnement")
    feries = jours_feries_france([2026])
    assert date(2026, 12, 25) in feries  # Christmas is a Friday in 2026
    conge = Absence(
        id="a", compte_id=CLAIRE, du=date(2026, 12, 14), au=date(2026, 12, 18), motif="Congés"
    )
    libres = creneaux_libres(
        [vendredi],
        [conge],
        feries,
        set(),
        ACCOMPAGNEMENT,
        date(2026, 12, 1),
        date(2026, 12, 31),
        LONGTEMPS,
    )
    assert sorted({c.debut.astimezone(PARIS).date().day for c in libres}) == [4, 11]
    # The 18th is leave, the 25th Christmas; and the plage does not receive orientations.
    assert not creneaux_libres(
        [vendredi], [], feries, set(), ORIENTATION, date(2026, 12, 4), date(2026, 12, 4), LONGTEMPS
    )


def test_un_quart_d_heure_pris_retire_les_creneaux_qui_le_couvrent() -> None:
    mardi = plage(JourSemaine.MARDI, time(9), time(11), "orientation")
    pris = {(CLAIRE, datetime(2026, 12, 1, 9, 15, tzinfo=PARIS).astimezone(UTC))}
    libres = creneaux_libres(
        [mardi], [], [], pris, ORIENTATION, date(2026, 12, 1), date(2026, 12, 1), LONGTEMPS
    )
    assert heures(libres) == ["01/12 09:45"]


def test_heure_d_ete_les_heures_restent_celles_de_paris() -> None:
    lundi = plage(JourSemaine.LUNDI, time(9), time(10), "accompagnement")
    libres = creneaux_libres(
        [lundi], [], [], set(), ACCOMPAGNEMENT, date(2026, 3, 23), date(2026, 3, 30), LONGTEMPS
    )
    assert heures(libres) == ["23/03 09:00", "23/03 09:30", "30/03 09:00", "30/03 09:30"]
    assert {c.debut.hour for c in libres} == {8, 7}  # UTC+1 then UTC+2


def test_pas_de_creneau_deja_passe() -> None:
    mardi = plage(JourSemaine.MARDI, time(9), time(11), "accompagnement")
    apres = datetime(2026, 12, 1, 10, tzinfo=PARIS)
    libres = creneaux_libres(
        [mardi], [], [], set(), ACCOMPAGNEMENT, date(2026, 12, 1), date(2026, 12, 1), apres
    )
    assert heures(libres) == ["01/12 10:00", "01/12 10:30"]


def test_quarts() -> None:
    debut = datetime(2026, 12, 1, 9, tzinfo=PARIS)
    assert len(quarts(debut, datetime(2026, 12, 1, 9, 45, tzinfo=PARIS))) == 3
