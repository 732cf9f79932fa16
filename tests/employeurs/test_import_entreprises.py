"""Companies imported from a CSV or XLSX file: the columns found by their usual names, each
SIRET checked, a known one updated (no duplicate), every mistake named by its row and the
file's column, in French; while one row is wrong, nothing is written."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlmodel import select

from employeurs import annuaire, import_entreprises
from employeurs.annuaire import EmployeurRefuse
from schemas.employeur import EntrepriseSaisie
from store.db import SessionFactory
from store.employeurs import EntrepriseRow

EHPAD, REFUGE, BOULANGERIE = "41852963200014", "73282932000074", "52345678800018"
ENTETES = "N° SIRET;Raison sociale;Code APE;Adresse;Code postal;Ville\n"


def csv(*lignes: str) -> bytes:
    # as Excel in French writes « CSV (séparateur : point-virgule) »: Windows-1252
    return (ENTETES + "\n".join(lignes) + "\n").encode("cp1252")


async def _annuaire(sessions: SessionFactory) -> dict[str, EntrepriseRow]:
    async with sessions() as session:
        return {r.siret: r for r in (await session.exec(select(EntrepriseRow))).all()}


async def test_apercu_puis_import_sans_doublon(sessions: SessionFactory) -> None:
    async with sessions() as session:
        await annuaire.enregistrer(
            session, EntrepriseSaisie(siret=EHPAD, nom="Ehpad", adresse="1 rue du Lac")
        )
    fichier = csv(
        "418 529 632 00014;EHPAD Les Cèdres;87.10A;;74200;Thonon-les-Bains",
        "73282932000074;Le Refuge du Montenvers;56.10A;Montenvers;74400;Chamonix-Mont-Blanc",
    )
    async with sessions() as session:
        apercu = await import_entreprises.importer(session, "entreprises.csv", fichier)
    assert apercu.correspondance == {
        "siret": "N° SIRET",
        "nom": "Raison sociale",
        "naf": "Code APE",
        "adresse": "Adresse",
        "code_postal": "Code postal",
        "commune": "Ville",
    }
    assert (apercu.ajoutees, apercu.mises_a_jour, apercu.erreurs) == ([REFUGE], [EHPAD], [])
    assert not apercu.enregistre
    assert set(await _annuaire(sessions)) == {EHPAD}  # the preview wrote nothing
    assert (await _annuaire(sessions))[EHPAD].nom == "Ehpad"

    async with sessions() as session:
        fait = await import_entreprises.importer(
            session, "entreprises.csv", fichier, confirmer=True
        )
    assert fait.enregistre
    apres = await _annuaire(sessions)
    assert set(apres) == {EHPAD, REFUGE}
    ehpad, refuge = apres[EHPAD], apres[REFUGE]
    assert (ehpad.nom, ehpad.naf, ehpad.bassin) == ("EHPAD Les Cèdres", "87.10A", "chablais")
    assert ehpad.adresse == "1 rue du Lac"  # a blank cell keeps the directory's value
    assert (refuge.origine, refuge.bassin, refuge.commune_insee) == (
        "import",
        "vallee_arve",
        "74056",
    )

    async with sessions() as session:  # the same file again: updated, still two companies
        encore = await import_entreprises.importer(
            session, "entreprises.csv", fichier, confirmer=True
        )
    assert (encore.ajoutees, encore.mises_a_jour) == ([], [EHPAD, REFUGE])
    assert len(await _annuaire(sessions)) == 2


async def test_erreurs_par_ligne_nommant_la_colonne_et_rien_d_ecrit(
    sessions: SessionFactory,
) -> None:
    fichier = csv(
        "41852963200014;EHPAD Les Cèdres;87.10A;;74200;Thonon-les-Bains",
        "41852963200015;Mauvaise clé;;;74200;Thonon-les-Bains",
        "73282932000074;Le Refuge;56.10A;;744;Chamonix",
        "418 529 632 00014;EHPAD en double;;;;",
        ";Sans SIRET;;;;",
    )
    async with sessions() as session:
        bilan = await import_entreprises.importer(
            session, "entreprises.csv", fichier, confirmer=True
        )
    assert not bilan.enregistre
    assert [e.en_dict() for e in bilan.erreurs] == [
        {
            "ligne": "3",
            "champ": "N° SIRET",
            "message": "Numéro SIRET invalide : 14 chiffres dont une clé de contrôle",
        },
        {"ligne": "4", "champ": "Code postal", "message": "Format invalide"},
        {"ligne": "5", "champ": "N° SIRET", "message": "SIRET déjà présent ligne 2"},
        {"ligne": "6", "champ": "N° SIRET", "message": "Champ obligatoire"},
    ]
    assert await _annuaire(sessions) == {}


async def test_un_classeur_xlsx(sessions: SessionFactory) -> None:
    classeur = Workbook()
    feuille = classeur.active
    assert feuille is not None
    feuille.append(["SIRET", "Entreprise", "Commune", "CP"])
    feuille.append([52345678800018, "Boulangerie du Port", "Annecy", 74000])
    tampon = io.BytesIO()
    classeur.save(tampon)
    async with sessions() as session:
        bilan = await import_entreprises.importer(
            session, "entreprises.xlsx", tampon.getvalue(), confirmer=True
        )
    assert (bilan.ajoutees, bilan.erreurs) == ([BOULANGERIE], [])
    assert (await _annuaire(sessions))[BOULANGERIE].bassin == "bassin_annecien"


async def test_colonne_obligatoire_absente_ou_fichier_illisible(sessions: SessionFactory) -> None:
    async with sessions() as session:
        with pytest.raises(EmployeurRefuse) as sans_siret:
            await import_entreprises.importer(session, "e.csv", b"Nom;Ville\nEhpad;Thonon\n")
        with pytest.raises(EmployeurRefuse) as illisible:
            await import_entreprises.importer(session, "e.pdf", b"%PDF-1.4")
    assert (sans_siret.value.status, sans_siret.value.erreurs) == (
        422,
        [{"champ": "correspondance.siret", "message": "Indiquez la colonne du champ « SIRET »"}],
    )
    assert illisible.value.erreurs[0]["champ"] == "contenu"
