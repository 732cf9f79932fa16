"""The companies proposed for an offer without SIRET: the same name under another case,
accents or legal form is found, a typo is tolerated, another baker of the same town is not, a
name that says much more is not, and the likest comes first."""

from __future__ import annotations

from datetime import UTC, datetime

from employeurs.noms_proches import proches
from store.employeurs import EntrepriseRow
from tests.administration.outils import un_siret


def _entreprise(nom: str) -> EntrepriseRow:
    instant = datetime.now(UTC)
    return EntrepriseRow(
        siret=un_siret(), nom=nom, origine="saisie", cree_le=instant, mis_a_jour=instant
    )


def _noms(nom: str, annuaire: list[EntrepriseRow]) -> list[str]:
    return [e.nom for e in proches(nom, annuaire)]


ANNUAIRE = [
    _entreprise("Boulangerie Dupont"),
    _entreprise("BOULANGERIE MARTIN (S.A.S.)"),
    _entreprise("Pâtisserie du Léman"),
    _entreprise("Boulangerie Martin et Fils"),
    _entreprise("Boulangerie Martin, pains et viennoiseries du Chablais"),
    _entreprise("Boulangerie Martyn"),
]


def test_meme_nom_sous_une_autre_forme_le_plus_proche_d_abord() -> None:
    # not Dupont, the other baker; not the name that says much more
    assert _noms("boulangerie martin sarl", ANNUAIRE) == [
        "BOULANGERIE MARTIN (S.A.S.)",
        "Boulangerie Martin et Fils",
        "Boulangerie Martyn",
    ]
    assert _noms("PATISSERIE DU LEMAN SARL", ANNUAIRE) == ["Pâtisserie du Léman"]


def test_une_faute_de_frappe_est_toleree() -> None:
    assert _noms("Patisserie du Lemann", ANNUAIRE) == ["Pâtisserie du Léman"]


def test_rien_de_proche() -> None:
    assert _noms("Garage des Alpes", ANNUAIRE) == []
    assert _noms("SAS", ANNUAIRE) == []  # a legal form alone names nobody
