"""The fiche of the pool filled from what the parcours already says: the métier of an immersion
whose bilan says it took place (the latest first), of an objective of the contract in force,
then the diagnostic's project; not one the fiche already has, not twice, not an immersion the
person did not attend. And what it says of availability, mobility, childcare and hours, never
health."""

from __future__ import annotations

from datetime import date
from typing import Any

from employeurs.depuis_le_parcours import (
    DisponibiliteDite,
    disponibilite,
    prete,
    reperes,
    suggestions,
)
from schemas.diagnostic import Disponibilite


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


def _contrat(etat: str, *objectifs: dict[str, Any]) -> dict[str, Any]:
    return {"etat": etat, "objectifs": list(objectifs)}


def test_les_objectifs_du_contrat_en_vigueur_qui_nomment_un_metier() -> None:
    """Between the immersions and the diagnostic: an objective with a ROME code, not one
    without, abandoned, or tied to health (its métier would say why)."""
    contrat = _contrat(
        "actif",
        {"libelle": "Devenir auxiliaire de vie", "code_rome": "K1302", "statut": "en_cours"},
        {"libelle": "Passer le permis B"},  # no métier: nothing guessed from the words
        {"libelle": "Vendre en boulangerie", "code_rome": "D1106", "statut": "abandonne"},
        {"libelle": "Reprendre un métier adapté", "code_rome": "G1603", "frein": "sante"},
    )
    etat = ETAT | {"contrat": contrat}
    assert [(s.code_rome, s.source) for s in suggestions(etat, deja=[])] == [
        ("J1501", "immersion chez EHPAD Les Cèdres, bilan fait"),
        ("N1103", "immersion chez Logistique du Léman, bilan fait"),
        ("K1302", "objectif du contrat d'engagement : Devenir auxiliaire de vie"),
    ]
    for pas_en_vigueur in ("brouillon", "en_signature", "suspendu", "termine", "resilie"):
        autre = ETAT | {"contrat": contrat | {"etat": pas_en_vigueur}}
        assert "K1302" not in [s.code_rome for s in suggestions(autre, deja=[])], pas_en_vigueur
    a_revoir = ETAT | {"contrat": contrat | {"etat": "a_revoir"}}  # still in force
    assert "K1302" in [s.code_rome for s in suggestions(a_revoir, deja=[])]


def _diagnostic(disponibilite: str, **freins: tuple[str, str]) -> dict[str, Any]:
    evalues = [
        {
            "frein": f,
            "niveau": freins.get(f, ("aucun", ""))[0],
            "commentaire": freins.get(f, ("", ""))[1],
        }
        for f in ("sante", "famille", "mobilite", "logement")
    ]
    return {"realise_le": "2026-11-03", "disponibilite": disponibilite, "freins": evalues}


def test_disponibilite_mobilite_garde_et_horaires_repris_sans_la_sante() -> None:
    immersion = _pmsmp("N1103", "realisee", "Logistique du Léman")
    immersion["convention"]["horaires"] = "Du lundi au vendredi, 6 h – 13 h"
    etat = {
        "diagnostics": [
            _diagnostic("immediate"),  # an older one
            _diagnostic(
                "non_disponible",
                sante=("bloquant", "Suivi au CMP"),
                famille=("a_travailler", "Crèche le matin seulement"),
                mobilite=("bloquant", ""),
                logement=("bloquant", "Hébergée chez sa sœur"),
            ),
        ],
        "pmsmp": [immersion],
    }
    dits = [(r.sujet, r.texte, r.source) for r in reperes(etat)]
    assert dits == [
        ("Disponibilité", "Pas disponible pour l'instant", "diagnostic du 3 novembre 2026"),
        ("Mobilité", "Bloquant", "diagnostic du 3 novembre 2026"),
        (
            "Famille / garde d'enfants",
            "À travailler : « Crèche le matin seulement »",
            "diagnostic du 3 novembre 2026",
        ),
        (
            "Horaires",
            "Du lundi au vendredi, 6 h – 13 h",
            "immersion chez Logistique du Léman, bilan fait",
        ),
    ]
    assert not any("CMP" in texte or "sœur" in texte for _, texte, _ in dits)
    assert disponibilite(etat) == DisponibiliteDite(Disponibilite.NON_DISPONIBLE, date(2026, 11, 3))
    assert not prete(etat)
    assert prete({"diagnostics": [_diagnostic("immediate")]})
    assert reperes({}) == []
    assert disponibilite({}) is None
