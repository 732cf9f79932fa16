"""France Travail's « inscriptions », « cessations », « radiations » and « stock » files, shaped
as WebRSA integrates them (atolcd/webrsa, IntegrationfluxpeShell.php, commit ceacd449…; see
docs/connecteurs/fichiers-ft-caf.md), imported by the scheduled workflow: a radiation reaches
the parcours and the coordination's list of ruptures, the same fact twice is one event, each
rejected line is in the report with its reason, the stock only speaks of people followed."""

from __future__ import annotations

import html
import re
from pathlib import Path

import httpx
import pytest

from partenaires.lots import flux_france_travail
from schemas.lots import LigneEvenement
from schemas.usager import IdentifiantsPartenaires
from store.db import SessionFactory
from tests.fixtures.plateforme import Plateforme
from tests.partenaires.outils import attendre, ou_en_est
from tests.partenaires.test_fichiers_ft_caf import (
    COORD,
    FIXTURES,
    _comptes,
    _deposer,
    _evenements,
    _importer,
    _liste,
    _numeros,
    _ouvrir_avec,
    _rapport_complet,
    _situation,
)

RADIATIONS = "radiations_074_20261202.csv"
CESSATIONS = "cessations_074_20261203.csv"
INSCRIPTIONS = "inscriptions_074_20261102.csv"
STOCK = "stock_074_20261203.csv"
RADIE = "fr.france-travail.demandeur.radie"
LIGNE = re.compile(r"<tr>.*?</tr>", re.S)
PAGE = re.compile(r"[?;]page=(\d+)")  # ?page=2 or &amp;page=2 in the pagination's links


async def _ouvrir_ft(plateforme: Plateforme, lecture: SessionFactory, identifiant: str) -> str:
    return await _ouvrir_avec(
        plateforme, lecture, IdentifiantsPartenaires(france_travail=identifiant)
    )


async def _ligne_dans_la_coordination(coord: httpx.AsyncClient, pid: str, motif: str) -> str | None:
    """The row of this parcours in the coordination's list filtered by ``motif``, every page
    read; None when it is on none."""
    page, pages = 1, 1
    while page <= pages:
        params = {"motif": motif, "page": str(page)}
        reponse = await coord.get("/coordination/fragments/parcours", params=params)
        assert reponse.status_code == 200, reponse.text
        for ligne in LIGNE.findall(reponse.text):
            if f'href="/parcours/{pid}"' in ligne:
                return html.unescape(ligne)
        pages = max([pages, *(int(n) for n in PAGE.findall(reponse.text))])
        page += 1
    return None


async def test_une_radiation_atteint_le_parcours_et_la_liste_des_ruptures(
    plateforme: Plateforme, lecture: SessionFactory, tmp_path: Path
) -> None:
    n = _numeros()
    pid = await _ouvrir_ft(plateforme, lecture, f"{n['7410001']}A")
    depot = tmp_path / "ft"
    liste = _liste(tmp_path, france_travail=depot)
    _deposer(depot, RADIATIONS, n)

    [rapport] = await _importer(plateforme, lecture, liste)

    # 10 lines: 1 delivered, 1 unknown person, 8 refused each with WebRSA's reason
    assert _comptes(rapport) == (10, 1, 1, 0, 0, 8)
    assert {x.numero: x.raison for x in (await _rapport_complet(lecture, rapport)).lignes} == {
        3: "Les deux NIR de la ligne (nir et nir2) diffèrent",
        4: "Identifiant France Travail (identifiantpe) mal formé : 7 chiffres, un chiffre ou "
        "une lettre, puis 3 chiffres attendus",
        5: "Date du fait (date) absente ou mal formée : JJ/MM/AAAA attendu",
        6: "Code (code) absent ou avec des espaces",
        7: "NIR (nir) invalide : sa clé ne se calcule pas ou ne correspond pas",
        8: "12 cellules au lieu de 9 (ou 13 avec les colonnes de novembre 2011)",
        9: "Date de naissance (dtnai) absente ou mal formée : JJ/MM/AAAA attendu",
        10: "NIR (nir) sur 12 caractères au lieu de 13",
    }
    v = await _situation(plateforme, pid, "inscription_france_travail", "radie")
    assert "Radiation de France Travail : NON REPONSE A CONVOCATION SUSPENSION DE DEUX MOIS" in [
        e["libelle"] for e in v["etat"]["timeline"]
    ]
    assert [s["type"] for s in v["etat"]["signalements"]] == [RADIE]
    [inconnu] = await _evenements(lecture, "france-travail", f"{n['7410002']}B")
    assert inconnu.statut == "a_rapprocher"
    assert inconnu.data == {
        "date": "2026-12-02",
        "motif": "INSUFFISANCE DE RECHERCHE D'EMPLOI SUSPENSION DE QUINZE JOURS",
        "code": "8X",
    }

    # The coordination's list shows 20 parcours a page, and the whole session's parcours of
    # the territory are there: look for this one's row among those with the motif, page by page,
    # as a coordinator would (its label was once found on another parcours' row, or missed
    # on page 2: CI of 4 December).
    async with plateforme.client(COORD) as coord:

        async def sa_ligne() -> str | None:
            return await _ligne_dans_la_coordination(coord, pid, "signalement_a_traiter")

        ligne = await attendre(
            sa_ligne,
            "le parcours dans la liste de la coordination, motif « signalement à traiter »",
            delai_s=30,
            etat=lambda: ou_en_est(plateforme, lecture, pid),
        )
    assert "Alerte : Signalement partenaire à traiter : Radiation de France Travail" in ligne

    # The same file again, then next day's file repeating the same radiation: nothing twice.
    _deposer(depot, RADIATIONS, n, sous="radiations_074_20261202_renvoi.csv")
    assert await _importer(plateforme, lecture, liste) == []
    repete = (FIXTURES / RADIATIONS).read_text().splitlines()[:2]
    (depot / "radiations_074_20261203.csv").write_text(
        "\r\n".join(repete).replace("7410001", n["7410001"]) + "\r\n"
    )
    [lendemain] = await _importer(plateforme, lecture, liste)
    assert _comptes(lendemain) == (1, 0, 0, 1, 0, 0)
    assert len(await _evenements(lecture, "france-travail", f"{n['7410001']}A")) == 1


async def test_inscription_cessation_et_stock(
    plateforme: Plateforme, lecture: SessionFactory, tmp_path: Path
) -> None:
    n = _numeros()
    suivie = await _ouvrir_ft(plateforme, lecture, f"{n['7410001']}A")
    autre = await _ouvrir_ft(plateforme, lecture, f"{n['7410004']}D")
    depot = tmp_path / "ft"
    for nom in (INSCRIPTIONS, CESSATIONS, STOCK):
        _deposer(depot, nom, n)

    rapports = await _importer(plateforme, lecture, _liste(tmp_path, france_travail=depot))

    # By name: cessations, inscriptions, stock. The stock repeats the registration already
    # received, has one person nobody follows (no effect) and one registration not yet known.
    assert [(r.nom, _comptes(r)) for r in rapports] == [
        (CESSATIONS, (2, 2, 0, 0, 0, 0)),  # the second line quoted whole, commas after
        (INSCRIPTIONS, (1, 1, 0, 0, 0, 0)),
        (STOCK, (3, 1, 0, 1, 1, 0)),
    ]
    [sans_suite] = (await _rapport_complet(lecture, rapports[2])).lignes
    assert (sans_suite.numero, sans_suite.refusee) == (2, False)
    assert sans_suite.raison == (
        "Sans suite : ligne du stock sans parcours ouvert portant cet identifiant"
    )
    assert await _evenements(lecture, "france-travail", f"{n['7410003']}C") == []
    # The cessation (3 December) comes after the registration (2 November), though read first.
    v = await _situation(plateforme, suivie, "inscription_france_travail", "cesse")
    libelles = [e["libelle"] for e in v["etat"]["timeline"]]
    # Its motif column is empty: the label WebRSA knows for code 90.
    assert (
        "Cessation d'inscription à France Travail : ABSENCE AU CONTROLE (NON REPONSE A DAM)"
        in libelles
    )
    assert [s["type"] for s in v["etat"]["signalements"]] == ["fr.france-travail.demandeur.cesse"]
    [inscription] = [
        e
        for e in await _evenements(lecture, "france-travail", f"{n['7410004']}D")
        if e.type == "fr.france-travail.demandeur.inscrit"
    ]
    assert inscription.data == {"date_inscription": "2026-11-03", "categorie": "1"}
    await _situation(plateforme, autre, "inscription_france_travail", "cesse")


@pytest.mark.parametrize(
    ("nom", "genre"),
    [
        (RADIATIONS, "radiations"),
        ("PE_CESSATIONS_20261203.CSV", "cessations"),
        (STOCK, "stock"),
        ("i03300c.j.extract_spie_074_principal.csv", None),
        ("inscriptionsx.csv", None),  # a word of the name, not a piece of a word
    ],
)
def test_le_genre_du_fichier_se_lit_dans_son_nom(nom: str, genre: str | None) -> None:
    assert flux_france_travail.genre(nom) == genre


def test_l_extraction_principale_reste_lue_dans_le_meme_depot() -> None:
    nom = "i03300c.j.extract_spie_074_principal.csv"
    lignes = list(flux_france_travail.lignes_du_fichier(nom, (FIXTURES / nom).read_bytes()))
    premiere = lignes[0]
    assert isinstance(premiere, LigneEvenement)
    assert (premiere.type, premiere.sujet) == ("fr.france-travail.demandeur.inscrit", "7410001A")
