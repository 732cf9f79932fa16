"""Every commune of Haute-Savoie lands in exactly one bassin (rules/bassins.yaml by EPCI)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
import yaml

from referentiels import territoires
from referentiels.territoires.choix import BassinRefuse, choisir_bassin
from schemas.common import Territoire


def test_chaque_commune_du_74_dans_exactement_un_bassin() -> None:
    donnees = json.loads((territoires.DOSSIER / "communes_74.json").read_text(encoding="utf-8"))
    assert len(donnees["communes"]) > 270  # the whole département, not a sample
    regles = yaml.safe_load(territoires.REGLES.read_text(encoding="utf-8"))["bassins"]
    listes = Counter(str(epci) for epcis in regles.values() for epci in epcis)
    assert [e for e, n in listes.items() if n > 1] == []  # an EPCI in two bassins
    assert set(listes) == set(donnees["epci"])  # none forgotten, none unknown
    for c in donnees["communes"]:
        assert c["epci"] in listes, f"{c['nom']} ({c['insee']}) sans bassin"
    assert {c.bassin for c in territoires.communes().values()} == set(Territoire)


@pytest.mark.parametrize(
    ("code_postal", "commune", "bassin"),
    [
        ("74000", "Annecy", Territoire.BASSIN_ANNECIEN),
        ("74160", "ST JULIEN EN GENEVOIS", Territoire.GENEVOIS_FRANCAIS),
        ("74200", "thonon les bains", Territoire.CHABLAIS),
        ("74400", "Chamonix-Mont-Blanc", Territoire.VALLEE_ARVE),
        ("01200", "Éloise", Territoire.GENEVOIS_FRANCAIS),  # a 74 commune with an Ain postcode
        ("74150", "Rumilly", Territoire.BASSIN_ANNECIEN),
    ],
)
def test_bassin_de_l_adresse(code_postal: str, commune: str, bassin: Territoire) -> None:
    assert territoires.bassin(code_postal, commune) == bassin


def test_autre_bassin_seulement_par_la_coordination_avec_un_motif() -> None:
    annecien = Territoire.BASSIN_ANNECIEN
    assert choisir_bassin("74000", "Annecy", None, peut_choisir=False) == (annecien, "")
    with pytest.raises(BassinRefuse) as refus:
        choisir_bassin("74000", "Annecy", Territoire.CHABLAIS, peut_choisir=True)
    assert refus.value.champ == "motif_bassin"
    with pytest.raises(BassinRefuse) as refus:
        choisir_bassin("74000", "Annecy", Territoire.CHABLAIS, motif="Hébergée", peut_choisir=False)
    assert refus.value.champ == "territoire"
    bassin, note = choisir_bassin(
        "74000", "Annecy", Territoire.CHABLAIS, motif="Hébergée à Thonon", peut_choisir=True
    )
    assert bassin == Territoire.CHABLAIS
    assert "Hébergée à Thonon" in note
    with pytest.raises(BassinRefuse) as refus:
        choisir_bassin("99999", "Nulle-part", None, peut_choisir=True)
    assert refus.value.champ == "territoire"
