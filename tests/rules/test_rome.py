"""The ROME referential: complete (every métier of version 4, from the extracted file), and
found by words the way people type them."""

from __future__ import annotations

import pytest

from referentiels.rome import METIERS, REFERENTIEL, libelle_metier, rechercher


def test_le_referentiel_est_complet_et_garde_les_codes_deja_utilises() -> None:
    # ROME 4 has 1 584 métiers; the codes the demo, the tests and recorded parcours use stay.
    assert len(METIERS) == 1584
    for code in ("K1302", "N1103", "J1301", "J1501", "F1603", "D1106"):
        assert code in METIERS
    assert libelle_metier("J1501") == "Aide-soignant / Aide-soignante"
    assert libelle_metier("Z9999") == "Z9999"
    assert "86" in REFERENTIEL["J1501"].divisions_naf  # activités pour la santé humaine


@pytest.mark.parametrize(
    ("saisi", "code"),
    [
        ("aide soignante", "J1501"),  # without the hyphen
        ("AIDE-SOIGNAT", "J1501"),  # capitals and a letter missing
        ("plombié", "F1603"),  # a typo with a wrong accent
        ("macon", "F1703"),  # without the cedilla
        ("preparateur commandes", "N1103"),  # without accents, two words
        ("boulang", "D1102"),  # the beginning of the word
        ("f1603", "F1603"),  # a code
    ],
)
def test_recherche_tolerante(saisi: str, code: str) -> None:
    assert rechercher(saisi)[0].code == code


def test_recherche_sans_rapport_ne_trouve_rien() -> None:
    assert rechercher("xylophoniste quantique") == []
    assert rechercher("  ") == []
