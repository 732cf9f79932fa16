"""Reading, mapping, checking and phone/e-mail parsing of imported rows (issue 16, item 2)."""

from __future__ import annotations

from datetime import date

import pytest

from importation import colonnes
from importation.lecture import FichierIllisible, lire
from importation.lignes import FIXE, analyser, telephone
from tests.imports import fichiers

JOUR = date(2026, 12, 2)


def test_csv_point_virgule_en_windows_1252() -> None:
    texte = "Nom;Prénom;Date de naissance\nDupré;Hélène;03/04/1990\n"
    t = lire("caf.csv", texte.encode("cp1252"))
    assert t.entetes == ["Nom", "Prénom", "Date de naissance"]
    assert t.lignes == [["Dupré", "Hélène", "03/04/1990"]]


def test_csv_virgule_en_utf8_avec_bom() -> None:
    t = lire("cd.csv", "\ufeffNom,Prénom\nÉlise,Zoé\n".encode())
    assert t.entetes == ["Nom", "Prénom"]
    assert t.lignes == [["Élise", "Zoé"]]


def test_xlsx_dates_et_numeros() -> None:
    lignes = fichiers.personnes(2, "Test")
    lignes[0][0] = 123456  # a number cell: the CAF number lost its leading zero
    t = lire("liste.xlsx", fichiers.xlsx(lignes))
    assert t.entetes == fichiers.ENTETES
    assert t.lignes[0][0] == "123456"
    assert t.lignes[0][3] == "1980-01-01"


def test_fichier_d_un_autre_format_refuse() -> None:
    with pytest.raises(FichierIllisible, match="xlsx ou"):
        lire("liste.pdf", b"%PDF")
    with pytest.raises(FichierIllisible, match="illisible"):
        lire("liste.xlsx", b"pas un classeur")


def test_correspondance_proposee_par_les_noms_puis_par_la_source() -> None:
    proposee = colonnes.proposer(fichiers.ENTETES)
    assert proposee == {
        "caf": "N° allocataire",
        "nom": "Nom",
        "prenom": "Prénom",
        "date_naissance": "Date de naissance",
        "adresse": "Adresse",
        "code_postal": "CP",
        "commune": "Ville",
        "telephone": "Téléphone portable",
        "email": "Courriel",
    }
    entetes = ["NOM_BENEF", "PRENOM_BENEF", "DDN", "CP", "VILLE"]
    assert "nom" not in colonnes.proposer(entetes)
    enregistree = {"nom": "NOM_BENEF", "prenom": "PRENOM_BENEF"}
    assert colonnes.proposer(entetes, enregistree)["nom"] == "NOM_BENEF"
    assert colonnes.manquants({"nom": "NOM_BENEF"}, entetes)[0]["champ"] == "correspondance.prenom"


@pytest.mark.parametrize(
    ("saisi", "e164", "sms"),
    [
        ("06 12 34 56 78", "+33612345678", True),
        ("+33 (0)6 12 34 56 78", "+33612345678", True),
        ("+41 79 123 45 67", "+41791234567", True),  # a Swiss mobile, Genevois français
        ("0041 79 123 45 67", "+41791234567", True),
        ("04 50 12 34 56", "+33450123456", False),  # a landline: no SMS
        ("+41 22 123 45 67", "+41221234567", False),
    ],
)
def test_telephones_francais_et_suisses_en_e164(saisi: str, e164: str, sms: bool) -> None:
    assert telephone(saisi) == (e164, sms)


@pytest.mark.parametrize("saisi", ["12", "+44 20 7946 0958", "téléphone"])
def test_telephone_refuse(saisi: str) -> None:
    with pytest.raises(ValueError, match="numéro"):
        telephone(saisi)


def _valeurs(**extra: str) -> dict[str, str]:
    base = {
        "nom": "Dupont",
        "prenom": "Marie",
        "date_naissance": "12/03/1984",
        "code_postal": "74100",
        "commune": "Annemasse",
    }
    return base | extra


def test_ligne_valide_deduit_le_bassin_et_signale_le_fixe() -> None:
    a = analyser(
        _valeurs(telephone="04 50 12 34 56", email="marie@example.org", caf="123456"), JOUR
    )
    assert a.erreurs == []
    assert a.accueil is not None
    assert a.accueil.territoire.value == "genevois_francais"
    assert a.accueil.usager.telephone == "+33450123456"
    assert a.accueil.identifiants.caf == "0123456"
    assert a.remarques == [FIXE]
    assert a.cle == "dupont|marie|1984-03-12"


def test_erreurs_en_francais_par_colonne() -> None:
    a = analyser(
        _valeurs(date_naissance="31/02/1984", email="marie@", commune="Lyon", code_postal="69000"),
        JOUR,
    )
    assert a.accueil is None
    assert {e["champ"] for e in a.erreurs} == {"date_naissance", "email", "commune"}
    assert "Courriel : adresse invalide" in [e["message"] for e in a.erreurs]
    a = analyser(_valeurs(date_naissance="01/01/2015"), JOUR)
    assert a.erreurs[0]["champ"] == "date_naissance"
    assert "16 ans" in a.erreurs[0]["message"]


def test_ligne_hors_du_territoire_du_coordinateur() -> None:
    from schemas.common import Territoire

    a = analyser(_valeurs(), JOUR, territoire=Territoire.CHABLAIS)
    assert a.accueil is None
    assert "hors de votre territoire" in a.erreurs[0]["message"]
