"""Orientation rules: each rule has a situation that triggers it (and none before it), the file
is checked when loaded, and the documentation is the file's own content."""

from __future__ import annotations

from datetime import date

import pytest

from rules import documentation
from rules.chargement import RegleInvalide
from rules.orientation import faits_du_diagnostic, parser, proposer, regles_orientation
from schemas.common import Organisme
from schemas.diagnostic import Disponibilite, Frein, SituationProfessionnelle
from schemas.orientation import TypeOrientation
from tests.factories import diagnostic

JOUR = date(2026, 11, 2)
ADULTE, JEUNE = date(1980, 5, 1), date(2005, 5, 1)

CAS = {
    "rqth_cap_emploi": (ADULTE, {"rqth": True, "bloquants": (Frein.MOBILITE,)}),
    "jeune_pret_emploi": (JEUNE, {}),
    "jeune_avec_freins": (JEUNE, {"bloquants": (Frein.LOGEMENT,)}),
    "freins_bloquants_multiples": (ADULTE, {"bloquants": (Frein.LOGEMENT, Frein.MOBILITE)}),
    "sante_ou_logement_bloquant": (ADULTE, {"bloquants": (Frein.SANTE,)}),
    "non_disponible": (ADULTE, {"disponibilite": Disponibilite.NON_DISPONIBLE}),
    "eloigne_emploi_iae": (ADULTE, {"situation": SituationProfessionnelle.JAMAIS_TRAVAILLE}),
    "freins_a_travailler": (
        ADULTE,
        {"a_travailler": (Frein.NUMERIQUE, Frein.CONFIANCE, Frein.COMPETENCES)},
    ),
    "pret_emploi": (ADULTE, {}),
}


def test_chaque_regle_a_son_cas() -> None:
    assert set(CAS) == {r.code for r in regles_orientation().regles}


@pytest.mark.parametrize("code", list(CAS))
def test_la_premiere_regle_vraie_donne_la_proposition(code: str) -> None:
    naissance, options = CAS[code]
    faits = faits_du_diagnostic(diagnostic(JOUR, **options), naissance)  # type: ignore[arg-type]
    proposition = proposer(faits, regles_orientation(), JOUR)
    assert proposition.regle_code == code
    regle = next(r for r in regles_orientation().regles if r.code == code)
    assert (proposition.type, proposition.organisme) == (regle.type, regle.organisme)
    assert proposition.regle_libelle == regle.libelle
    assert proposition.version_regles == regles_orientation().version


def test_l_ordre_compte_un_jeune_rqth_va_vers_cap_emploi() -> None:
    faits = faits_du_diagnostic(diagnostic(JOUR, rqth=True), JEUNE)
    assert proposer(faits, regles_orientation(), JOUR).organisme == Organisme.CAP_EMPLOI


BASE = {
    "version": "t",
    "regles": [
        {
            "code": "defaut",
            "libelle": "Défaut",
            "quand": {"toujours": True},
            "proposition": {"type": "professionnelle", "organisme": "france_travail"},
        }
    ],
}


def _regle(quand: dict[str, object]) -> dict[str, object]:
    return {
        "code": "x",
        "libelle": "X",
        "quand": quand,
        "proposition": {"type": "sociale", "organisme": "conseil_departemental"},
    }


@pytest.mark.parametrize(
    ("regles", "message"),
    [
        ([_regle({"fait": "revenu", "op": "egal", "valeur": 1}), *BASE["regles"]], "fait inconnu"),
        (
            [_regle({"fait": "age", "op": "environ", "valeur": 1}), *BASE["regles"]],
            "opérateur inconnu",
        ),
        ([_regle({"fait": "age", "op": "egal"}), *BASE["regles"]], "valeur manquante"),
        ([_regle({"fait": "age", "op": "egal", "valeur": 30})], "dernière règle"),
        ([*BASE["regles"], *BASE["regles"]], "seule la dernière"),
    ],
)
def test_un_fichier_de_regles_invalide_est_refuse(regles: list[object], message: str) -> None:
    with pytest.raises(RegleInvalide, match=message):
        parser({"version": "t", "regles": regles})


def test_un_type_d_orientation_inconnu_est_refuse() -> None:
    mauvaise = _regle({"toujours": True}) | {
        "proposition": {"type": "magique", "organisme": "plie"}
    }
    with pytest.raises(RegleInvalide):
        parser({"version": "t", "regles": [mauvaise]})


def test_la_documentation_est_a_jour() -> None:
    committed = documentation.DOC.read_text(encoding="utf-8")
    assert committed == documentation.generer(), "Relancez : python -m rules.documentation"


def test_type_enumere() -> None:
    assert {r.type for r in regles_orientation().regles} <= set(TypeOrientation)
