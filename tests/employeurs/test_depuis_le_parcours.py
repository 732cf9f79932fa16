"""The fiche of the pool filled from what the parcours already says: the métier of an immersion
whose bilan says it took place (the latest first), then the diagnostic's project; not one the
fiche already has, not twice, not an immersion the person did not attend."""

from __future__ import annotations

from typing import Any

from employeurs.depuis_le_parcours import suggestions


def _pmsmp(code_rome: str, resultat: str | None, entreprise: str) -> dict[str, Any]:
    return {
        "convention": {"code_rome": code_rome, "entreprise": {"raison_sociale": entreprise}},
        "bilan": {"resultat": resultat} if resultat else None,
    }


ETAT = {
    "diagnostics": [
        {"projet": {"code_rome": "K1302"}},  # an older diagnostic's project
        {"projet": {"code_rome": "J1501", "metier_vise": "Aide-soignante"}},
    ],
    "pmsmp": [
        _pmsmp("N1103", "realisee", "Logistique du Léman"),
        _pmsmp("G1602", "non_presente", "Restaurant des Alpes"),  # she did not go
        _pmsmp("K2204", None, "Propreté 74"),  # no bilan yet
        _pmsmp("J1501", "partielle", "EHPAD Les Cèdres"),
    ],
}


def test_immersions_faites_puis_projet_du_diagnostic() -> None:
    trouvees = suggestions(ETAT, deja=[])
    assert [(s.code_rome, s.source) for s in trouvees] == [
        ("J1501", "immersion chez EHPAD Les Cèdres, bilan fait"),
        ("N1103", "immersion chez Logistique du Léman, bilan fait"),
    ]
    assert trouvees[0].metier == "Aide-soignant / Aide-soignante"


def test_rien_de_ce_que_la_fiche_a_deja() -> None:
    assert [s.code_rome for s in suggestions(ETAT, deja=["J1501", "N1103"])] == []
    sans_immersion = {"diagnostics": ETAT["diagnostics"]}
    assert [(s.code_rome, s.source) for s in suggestions(sans_immersion, deja=[])] == [
        ("J1501", "projet du diagnostic")
    ]
    assert suggestions({}, deja=[]) == []
