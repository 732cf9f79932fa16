"""The simulator writes the CAF flux and the France Travail extract in the real files' shape
(the recorded fixtures, themselves shaped as carnet-de-bord's): same elements in the same
order, same header; the import reads them as it reads the real ones."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import fromstring

from partenaires.lots import caf, flux_france_travail, france_travail
from schemas.lots import LigneEvenement
from simulator.lots import Demandeur, EtatDemandeur, Foyer, extraction_ft, flux_caf, flux_ft

FIXTURES = Path(__file__).parents[1] / "fixtures" / "lots"


def _chemins(e: Element, prefixe: str = "") -> list[str]:
    ici = f"{prefixe}/{e.tag}"
    return [ici] + [c for enfant in e for c in _chemins(enfant, ici)]


def _sans_personne(chemins: list[str]) -> list[str]:
    """The simulator writes no person (the import reads none): compare the rest."""
    return [
        c
        for c in chemins
        if "/Personne" not in c and "/DemandeRSA" not in c and "/DetailDroitRSA" not in c
    ]


def test_le_flux_caf_simule_a_la_forme_du_flux_enregistre() -> None:
    reel = fromstring((FIXTURES / "RSABEM_074_20261130.xml").read_bytes())
    simule = fromstring(
        flux_caf(
            date(2026, 11, 30),
            [Foyer("7410002", "4", "06", date(2026, 11, 1))],
        )
    )
    foyer_reel = reel.findall("InfosFoyerRSA")[1]  # the fixture's « versement suspendu »
    assert _chemins(simule.find("IdentificationFlux")) == _chemins(reel.find("IdentificationFlux"))
    assert _chemins(simule.find("InfosFoyerRSA")) == _sans_personne(_chemins(foyer_reel))


def test_l_import_lit_le_flux_simule() -> None:
    contenu = flux_caf(
        date(2026, 11, 30),
        [Foyer("1234567", "2"), Foyer("7654321", "5", "RFD", date(2026, 11, 30))],
    )
    lignes = list(caf.lignes(contenu))
    assert all(isinstance(x, LigneEvenement) for x in lignes)
    assert [(x.type, x.sujet) for x in lignes if isinstance(x, LigneEvenement)] == [
        ("fr.caf.rsa.droits-ouverts", "1234567"),
        ("fr.caf.rsa.droits-clos", "7654321"),
    ]


def test_l_extraction_simulee_a_l_en_tete_enregistre() -> None:
    reel = (FIXTURES / "i03300c.j.extract_spie_074_principal.csv").read_text().splitlines()[0]
    contenu = extraction_ft([Demandeur("1234567A", date(2026, 10, 17))])
    assert contenu.decode().splitlines()[0] == reel
    [ligne] = list(france_travail.lignes(contenu))
    assert isinstance(ligne, LigneEvenement)
    assert (ligne.sujet, ligne.data["date_inscription"]) == ("1234567A", "2026-10-17")


def test_les_flux_france_travail_simules_ont_la_forme_des_fixtures_et_se_lisent() -> None:
    lus = []
    for genre, fixture in [
        ("radiations", "radiations_074_20261202.csv"),
        ("stock", "stock_074_20261203.csv"),
    ]:
        reel = (FIXTURES / fixture).read_text().splitlines()[0]
        etat = EtatDemandeur(
            "1234567A074",
            date(2026, 12, 1),
            "92",
            "NON REPONSE A CONVOCATION SUSPENSION DE DEUX MOIS",
        )
        contenu = flux_ft(genre, [etat])
        assert contenu.decode().splitlines()[0] == reel
        [ligne] = list(flux_france_travail.lignes_du_fichier(f"{genre}_074.csv", contenu))
        assert isinstance(ligne, LigneEvenement), ligne
        lus.append((ligne.type, ligne.sujet))
    assert lus == [
        ("fr.france-travail.demandeur.radie", "1234567A"),
        ("fr.france-travail.demandeur.inscrit", "1234567A"),
    ]
