"""The generic form, driven by the pydantic models: every command gets labelled fields of the
right kind, and a posted form comes back as the nested dict the model validates."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.pmsmp import ConventionPmsmp
from schemas.rdv import PlanificationRdv
from schemas.usager import Consentement
from services.commandes import modele_api
from web.api.parcours.accueil import DemandeAccueil
from web.cockpit.formulaires import Champ, Reglages, construire
from web.cockpit.lecture import lire
from workflows.transitions import TRANSITIONS


def _tous(champs: list[Champ]) -> list[Champ]:
    out = []
    for c in champs:
        out.append(c)
        out += _tous(c.enfants)
        for ligne in c.lignes:
            out += _tous(ligne)
    return out


@pytest.mark.parametrize("nom", sorted(TRANSITIONS))
def test_chaque_commande_a_un_formulaire_etiquete(nom: str) -> None:
    champs = _tous(construire(modele_api(nom), {}, {}, Reglages()))
    assert champs or nom in ("relancer_incident",)
    for c in champs:
        assert c.libelle, (nom, c.chemin)
        assert c.libelle[0].isupper(), (nom, c.chemin)
        assert "_" not in c.libelle, (nom, c.chemin, c.libelle)
        if c.genre == "choix":
            assert c.choix, (nom, c.chemin)


def test_genres_des_champs() -> None:
    par_chemin = {c.chemin: c for c in _tous(construire(ConventionPmsmp, {}, {}, Reglages()))}
    assert par_chemin["entreprise"].genre == "groupe"
    assert par_chemin["entreprise.siret"].genre == "texte"
    assert par_chemin["date_debut"].genre == "date"
    assert par_chemin["heures_hebdomadaires"].genre == "nombre"
    assert par_chemin["objectif"].genre == "choix"
    decouvrir = ("decouvrir", "Découvrir un métier ou un secteur d'activité")
    assert decouvrir in par_chemin["objectif"].choix
    assert par_chemin["tuteur.nom"].requis
    assert not par_chemin["tuteur.email"].requis


def test_lecture_du_formulaire_poste() -> None:
    brut = {
        "accueilli_le": ["2026-03-02"],
        "usager.nom": ["  Martin "],
        "usager.telephone": [""],
        "_present.consentement.partage_partenaires": ["1"],
        "consentement.partage_partenaires": ["on"],
        "_present.consentement.themes_sensibles": ["1"],
        "consentement.recueilli_le": ["2026-03-02"],
    }
    valeurs = lire(DemandeAccueil, brut)
    assert valeurs["usager"] == {"nom": "Martin"}  # empty inputs are left out
    assert valeurs["consentement"] == {
        "partage_partenaires": True,
        "themes_sensibles": False,  # an unticked box is "no", not "missing"
        "recueilli_le": "2026-03-02",
    }
    assert Consentement.model_validate(valeurs["consentement"]).recueilli_le == date(2026, 3, 2)


def test_lignes_vides_ignorees_et_heure_de_paris() -> None:
    from schemas.contrat import RedactionContrat

    brut = {
        "objectifs.0.libelle": ["Permis B"],
        "objectifs.1.libelle": [""],
        "objectifs.1.statut": ["non_aborde"],  # the select's default: the row is still empty
        "objectifs.2.libelle": ["Garde d'enfants"],
        "objectifs.2.frein": ["famille"],
    }
    assert lire(RedactionContrat, brut)["objectifs"] == [
        {"libelle": "Permis B"},
        {"libelle": "Garde d'enfants", "frein": "famille"},
    ]
    rdv = lire(PlanificationRdv, {"date_heure": ["2026-12-03T09:30"]})
    assert rdv["date_heure"] == "2026-12-03T09:30:00+01:00"


def test_jamais_plus_de_lignes_que_le_modele_n_en_accepte() -> None:
    """Each objective of a contract offers the ROME's 1 584 métiers: a form posted with 999
    rows (or « Ajouter une ligne » past the twelfth) is shown with twelve, as many as a contract
    accepts, not with 999 lists of métiers."""
    modele = modele_api("rediger_contrat")
    reglages = Reglages(choix={"objectifs.code_rome": [("J1501", "Aide-soignant (J1501)")]})
    reglages.lignes["objectifs"] = 999
    lignes = [{"libelle": f"Objectif {i}"} for i in range(999)]
    (objectifs,) = [
        c for c in construire(modele, {"objectifs": lignes}, {}, reglages) if c.nom == "objectifs"
    ]
    assert len(objectifs.lignes) == 12
    assert objectifs.lignes[11][0].valeur == "Objectif 11"
    assert [c.genre for c in objectifs.lignes[0] if c.nom == "code_rome"] == ["choix"]
