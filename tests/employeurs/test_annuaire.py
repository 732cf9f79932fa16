"""The directory of companies: from a SIRET (the national directory fills the rest, the
commune gives the bassin), no duplicate by SIRET, and fed from the PMSMPs and hirings already
recorded in the parcours."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from pydantic import ValidationError
from sqlmodel import select

from employeurs import annuaire
from employeurs.annuaire import EmployeurRefuse
from employeurs.recherche_entreprises import AnnuaireIndisponible, Etablissement, chercher
from schemas.employeur import EntrepriseSaisie
from store.db import SessionFactory
from store.employeurs import EntrepriseRow
from store.parcours import ParcoursRow
from tests.api import donnees
from tests.employeurs.reponses import recherche_entreprises

THONON = "41852963200022"
JOUR = date(2026, 11, 2)


async def _par_l_annuaire(siret: str) -> Etablissement | None:
    async with httpx.AsyncClient(timeout=60, transport=recherche_entreprises()) as http:
        return await chercher(http, "https://recherche-entreprises.test", siret)


async def _en_panne(_: str) -> Etablissement | None:
    raise AnnuaireIndisponible("délai dépassé")


async def test_depuis_le_siret_seul(sessions: SessionFactory) -> None:
    async with sessions() as session:
        saisie = EntrepriseSaisie(siret="418 529 632 00022")  # typed with spaces
        row, remarques = await annuaire.enregistrer(session, saisie, _par_l_annuaire)
    assert remarques == []
    assert (row.siret, row.nom, row.naf) == (THONON, "LES BALCONS DU LEMAN", "87.10A")
    assert (row.commune, row.commune_insee, row.bassin) == ("Thonon-les-Bains", "74281", "chablais")
    assert row.latitude == 46.370124


async def test_pas_de_doublon_par_siret(sessions: SessionFactory) -> None:
    async with sessions() as session:
        await annuaire.enregistrer(session, EntrepriseSaisie(siret=THONON), _par_l_annuaire)
        with pytest.raises(EmployeurRefuse) as refus:
            await annuaire.enregistrer(
                session, EntrepriseSaisie(siret=THONON, nom="Autre nom"), _par_l_annuaire
            )
        assert (refus.value.status, refus.value.code) == (409, "entreprise_connue")
        assert len((await session.exec(select(EntrepriseRow))).all()) == 1


async def test_la_saisie_l_emporte_et_l_annuaire_en_panne_n_empeche_rien(
    sessions: SessionFactory,
) -> None:
    saisie = EntrepriseSaisie(
        siret="77567227200017", nom="Boulangerie du Lac", code_postal="74500", commune="Évian"
    )
    async with sessions() as session:
        row, remarques = await annuaire.enregistrer(session, saisie, _en_panne)
        assert row.nom == "Boulangerie du Lac"
        assert remarques == [
            "L'annuaire des entreprises n'a pas répondu : saisissez nom et adresse."
        ]
        # the postcode 74500 is Évian-les-Bains and a few villages, all of the Chablais
        assert row.bassin == "chablais"
        with pytest.raises(EmployeurRefuse) as sans_nom:
            await annuaire.enregistrer(session, EntrepriseSaisie(siret=THONON), _en_panne)
        assert sans_nom.value.status == 422
        assert sans_nom.value.erreurs[0]["champ"] == "nom"


def test_siret_controle_par_stdnum() -> None:
    with pytest.raises(ValidationError) as err:
        EntrepriseSaisie(siret="41852963200023")  # wrong check digit
    assert err.value.errors()[0]["loc"] == ("siret",)
    assert "SIRET invalide" in err.value.errors()[0]["msg"]


def _parcours(etat: dict[str, Any]) -> ParcoursRow:
    return ParcoursRow(
        id=str(uuid.uuid4()),
        version=1,
        reference="P-TEST",
        nom="Test",
        prenom="Test",
        date_naissance=date(1990, 1, 1),
        commune="Annecy",
        territoire="bassin_annecien",
        phase="emploi",
        phase_depuis=JOUR,
        statut="actif",
        derniere_interaction=JOUR,
        ouvert_le=JOUR,
        mis_a_jour=datetime.now(UTC),
        etat=etat,
    )


def _entreprise(siret: str, nom: str, commune: str) -> dict[str, str]:
    return {"siret": siret, "raison_sociale": nom, "etablissement": "Atelier", "commune": commune}


async def test_alimente_depuis_les_pmsmp_et_les_embauches(sessions: SessionFactory) -> None:
    pmsmp = donnees.convention(JOUR)
    pmsmp["entreprise"] = _entreprise("77567227200025", "Menuiserie Favre", "Cluses")
    annulee = donnees.convention(JOUR)
    annulee["entreprise"] = _entreprise("41852963200014", "Jamais venue", "Annecy")
    embauche = donnees.embauche_cdi(JOUR)
    embauche["employeur"] = _entreprise("77567227200025", "MENUISERIE FAVRE SARL", "Cluses")
    connue = donnees.embauche_cdi(JOUR)
    connue["employeur"] = _entreprise(THONON, "Ehpad de Thonon", "Thonon-les-Bains")
    async with sessions() as session:
        await annuaire.enregistrer(session, EntrepriseSaisie(siret=THONON), _par_l_annuaire)
        session.add_all(
            [
                _parcours(
                    {
                        "pmsmp": [
                            {"etat": "terminee", "convention": pmsmp},
                            {"etat": "annulee", "convention": annulee},
                        ],
                        "emploi": {"embauche": embauche},
                    }
                ),
                _parcours({"emplois_passes": [{"embauche": connue}]}),
            ]
        )
        await session.commit()
        ajoutees = await annuaire.alimenter_depuis_les_parcours(session)
        assert [(r.siret, r.nom, r.origine, r.bassin) for r in ajoutees] == [
            ("77567227200025", "Menuiserie Favre", "pmsmp", "vallee_arve")
        ]
        assert await annuaire.alimenter_depuis_les_parcours(session) == []
        thonon = await annuaire.charger(session, THONON)
        assert thonon.nom == "LES BALCONS DU LEMAN"  # already known: left as it was
        historique = await annuaire.historique(session, "77567227200025")
        assert sorted((r.origine.value, r.le) for r in historique) == [
            ("embauche", JOUR),
            ("pmsmp", JOUR),
        ]
