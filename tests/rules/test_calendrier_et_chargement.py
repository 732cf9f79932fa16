"""Calendar arithmetic and the vigie rules file."""

from __future__ import annotations

from datetime import date

import pytest

from rules import chargement
from rules.calendrier import ajouter, ajouter_jours_ouvres, jours_feries_france
from schemas.regles import Delai, Unite

FERIES = jours_feries_france([2026, 2027])


def test_les_jours_ouvres_sautent_week_ends_et_feries() -> None:
    # Thursday 24 December 2026: Friday 25 is Christmas, then the weekend.
    assert ajouter_jours_ouvres(date(2026, 12, 24), 1, FERIES) == date(2026, 12, 28)
    assert ajouter_jours_ouvres(date(2026, 12, 24), 5, FERIES) == date(
        2027, 1, 4
    )  # 1 January skipped too
    assert ajouter_jours_ouvres(date(2026, 12, 24), 5, []) == date(2026, 12, 31)


def test_les_mois_comptent_jusqu_a_la_fin_du_mois() -> None:
    assert ajouter(date(2026, 1, 31), Delai(valeur=1, unite=Unite.MOIS), []) == date(2026, 2, 28)
    assert ajouter(date(2026, 3, 15), Delai(valeur=15), []) == date(2026, 3, 30)


def test_les_feries_francais_viennent_du_paquet_holidays() -> None:
    assert date(2026, 7, 14) in FERIES
    assert date(2026, 5, 14) in FERIES  # Ascension 2026


def test_un_territoire_peut_allonger_un_delai() -> None:
    arve = chargement.charger_regles_vigie("vallee_arve", 2026)
    annecy = chargement.charger_regles_vigie("bassin_annecien", 2026)
    assert arve.echeance_de_phase("accueil").delai.valeur == 21  # type: ignore[union-attr]
    assert annecy.echeance_de_phase("accueil").delai.valeur == 15  # type: ignore[union-attr]
    assert arve.version != annecy.version


def test_une_regle_inconnue_dans_le_fichier_est_refusee(monkeypatch: pytest.MonkeyPatch) -> None:
    original = chargement.lire_yaml

    def lire(nom: str) -> dict[str, object]:
        data = original(nom)
        data["ruptures"] = [
            *data["ruptures"],
            {"code": "inventee", "libelle": "?", "severite": "alerte"},
        ]
        return data

    monkeypatch.setattr(chargement, "lire_yaml", lire)
    chargement._regles_sans_feries.cache_clear()
    try:
        with pytest.raises(chargement.RegleInvalide, match="inventee"):
            chargement.charger_regles_vigie("chablais", 2026)
    finally:
        chargement._regles_sans_feries.cache_clear()
