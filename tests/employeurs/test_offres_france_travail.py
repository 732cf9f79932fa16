"""France Travail's offers of the département become the platform's, on recorded answers of
the API « Offres d'emploi v2 »: every range read, an offer updated rather than duplicated,
closed when France Travail no longer lists it; a refusal or an outage writes nothing."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
from pydantic import SecretStr
from sqlmodel import select

from employeurs import offres, propositions
from employeurs.annuaire import EmployeurRefuse, maintenant
from employeurs.france_travail import (
    ClientOffresFT,
    ConfigOffresFT,
    FranceTravailIndisponible,
    FranceTravailRefuse,
    importer,
    offres_importees,
)
from schemas.employeur import SuiteProposition
from store.db import SessionFactory
from store.employeurs import EntrepriseRow, OffreRow, PropositionRow
from tests.administration.outils import un_siret
from tests.employeurs.reponses import (
    CLIENT_ID,
    CLIENT_SECRET,
    URL_JETON,
    URL_OFFRES,
    FranceTravailEnregistre,
    lue,
)

THONON, CHAMONIX, SANS_SIRET = "187XKQM", "187YAAC", "187XLBN"
EHPAD, REFUGE = "41852963200014", "73282932000074"


@pytest.fixture
def ft() -> FranceTravailEnregistre:
    return FranceTravailEnregistre()


@pytest.fixture
async def client(ft: FranceTravailEnregistre) -> AsyncIterator[ClientOffresFT]:
    config = ConfigOffresFT(URL_OFFRES, URL_JETON, CLIENT_ID, SecretStr(CLIENT_SECRET))
    async with httpx.AsyncClient(transport=ft.transport()) as http:
        yield ClientOffresFT(config, http)


async def _offres(sessions: SessionFactory) -> dict[str, OffreRow]:
    async with sessions() as session:
        return {o.reference_externe or "": o for o in await offres_importees(session)}


async def test_toutes_les_pages_deviennent_des_offres(
    sessions: SessionFactory, client: ClientOffresFT, ft: FranceTravailEnregistre
) -> None:
    async with sessions() as session:
        bilan = await importer(session, client, taille=2)
    recherches = [a for a in ft.appels if a.url.path.endswith("/search")]
    assert [(a.url.params["departement"], a.url.params["range"]) for a in recherches] == [
        ("74", "0-1"),
        ("74", "2-3"),
    ]
    assert (bilan.lues, bilan.total, bilan.complete) == (3, 3, True)
    # the offer without SIRET is kept too, under the name France Travail gives
    assert (bilan.ajoutees, bilan.sans_siret, bilan.ecartees) == (3, 1, {})
    assert bilan.entreprises_ajoutees == 2
    offres = await _offres(sessions)
    assert set(offres) == {THONON, CHAMONIX, SANS_SIRET}
    sans = offres[SANS_SIRET]
    assert (sans.siret, sans.entreprise_nom, sans.bassin) == (
        None,
        "AIDE ET DOMICILE ANNECY",
        "bassin_annecien",
    )
    thonon, chamonix = offres[THONON], offres[CHAMONIX]
    assert (thonon.source, thonon.siret, thonon.code_rome) == ("france_travail", EHPAD, "J1501")
    assert (thonon.commune, thonon.bassin, thonon.type_contrat) == (
        "Thonon-les-Bains",
        "chablais",
        "cdi",
    )
    assert (thonon.heures_hebdomadaires, thonon.horaires_decales, thonon.permis_requis) == (
        35,
        True,
        False,
    )
    assert (chamonix.bassin, chamonix.type_contrat, chamonix.permis_requis) == (
        "vallee_arve",
        "cdd",
        True,
    )
    async with sessions() as session:
        ehpad = await session.get(EntrepriseRow, EHPAD)
    assert ehpad is not None
    assert (ehpad.nom, ehpad.bassin, ehpad.origine) == (
        "EHPAD LES CEDRES",
        "chablais",
        "france_travail",
    )


async def test_une_seule_page_200_et_aucune_offre_204(
    sessions: SessionFactory, client: ClientOffresFT, ft: FranceTravailEnregistre
) -> None:
    async with sessions() as session:
        bilan = await importer(session, client)  # pages of 150: all three in one 200
    assert (bilan.lues, bilan.ajoutees, bilan.complete) == (3, 3, True)
    ft.offres = []
    async with sessions() as session:
        bilan = await importer(session, client)
    assert (bilan.lues, bilan.total, bilan.fermees) == (0, 0, 3)


async def test_reimporter_met_a_jour_sans_doublon_et_garde_ce_que_le_spie_a_decide(
    sessions: SessionFactory, client: ClientOffresFT, ft: FranceTravailEnregistre
) -> None:
    async with sessions() as session:
        session.add(
            EntrepriseRow(
                siret=EHPAD,
                nom="Ehpad Les Cèdres (annuaire du SPIE)",
                origine="saisie",
                cree_le=maintenant(),
                mis_a_jour=maintenant(),
            )
        )
        await session.commit()
        premier = await importer(session, client, taille=2)
    assert premier.entreprises_ajoutees == 1  # the EHPAD was known: not duplicated
    async with sessions() as session:
        thonon = await session.get(OffreRow, (await _offres(sessions))[THONON].id)
        assert thonon is not None
        thonon.inclusive = True  # the employer committed to the SPIE
        session.add(thonon)
        await session.commit()
    ft.offres[0] = {**ft.offres[0], "intitule": "Aide-soignant de nuit (H/F)"}
    async with sessions() as session:
        second = await importer(session, client, taille=2)
        nombre = len((await session.exec(select(OffreRow))).all())
        ehpad = await session.get(EntrepriseRow, EHPAD)
    assert (second.ajoutees, second.mises_a_jour, second.entreprises_ajoutees) == (0, 3, 0)
    assert nombre == 3
    apres = (await _offres(sessions))[THONON]
    assert (apres.intitule, apres.inclusive) == ("Aide-soignant de nuit (H/F)", True)
    assert ehpad is not None
    assert ehpad.nom == "Ehpad Les Cèdres (annuaire du SPIE)"


async def test_une_offre_disparue_est_fermee_et_rouverte_si_elle_revient(
    sessions: SessionFactory, client: ClientOffresFT, ft: FranceTravailEnregistre
) -> None:
    async with sessions() as session:
        await importer(session, client, taille=2)
    chamonix = ft.offres.pop()
    async with sessions() as session:
        bilan = await importer(session, client, taille=2)
    assert bilan.fermees == 1
    assert (await _offres(sessions))[CHAMONIX].statut == "fermee"
    assert (await _offres(sessions))[THONON].statut == "ouverte"
    ft.offres.append(chamonix)
    async with sessions() as session:
        bilan = await importer(session, client, taille=2)
    assert (bilan.reouvertes, bilan.fermees) == (1, 0)
    assert (await _offres(sessions))[CHAMONIX].statut == "ouverte"


async def test_une_liste_incomplete_ne_ferme_rien(
    sessions: SessionFactory, client: ClientOffresFT, ft: FranceTravailEnregistre
) -> None:
    async with sessions() as session:
        await importer(session, client, taille=2)
    ft.offres.pop()
    enregistree = lue("france_travail_offres_74_0-1.json")
    # the total announced is larger than what the pages hold: offers shifted while we read
    ft.pannes.append(
        httpx.Response(206, json=enregistree["corps"], headers={"Content-Range": "offres 0-1/4"})
    )
    async with sessions() as session:
        bilan = await importer(session, client, taille=2)
    assert (bilan.complete, bilan.fermees) == (False, 0)
    assert (await _offres(sessions))[CHAMONIX].statut == "ouverte"


async def test_un_jeton_expire_est_redemande(
    sessions: SessionFactory, client: ClientOffresFT, ft: FranceTravailEnregistre
) -> None:
    ft.pannes.append(httpx.Response(401, json={"message": "Invalid access token"}))
    async with sessions() as session:
        bilan = await importer(session, client, taille=2)
    assert bilan.ajoutees == 3
    assert len([a for a in ft.appels if a.url.path.endswith("/access_token")]) == 2


async def test_identifiants_refuses_erreur_claire_sans_secret_et_rien_d_ecrit(
    sessions: SessionFactory,
    client: ClientOffresFT,
    ft: FranceTravailEnregistre,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with sessions() as session:
        await importer(session, client, taille=2)
    avant = await _offres(sessions)
    ft.jetons_refuses, client._jeton = True, None
    ft.offres.pop()
    caplog.set_level(logging.DEBUG)
    with pytest.raises(FranceTravailRefuse) as refus:
        async with sessions() as session:
            await importer(session, client, taille=2)
    assert "FRANCE_TRAVAIL_CLIENT_SECRET" in str(refus.value)
    assert "(401)" in str(refus.value)
    assert CLIENT_SECRET not in str(refus.value) + caplog.text
    assert {k: o.statut for k, o in (await _offres(sessions)).items()} == {
        k: o.statut for k, o in avant.items()
    }


@pytest.mark.parametrize("statut", [500, 503, 429])
async def test_panne_du_partenaire_rien_d_ecrit(
    sessions: SessionFactory, client: ClientOffresFT, ft: FranceTravailEnregistre, statut: int
) -> None:
    async with sessions() as session:
        await importer(session, client, taille=2)
    ft.offres.pop()  # would be closed by a whole listing
    ft.offres[0] = {**ft.offres[0], "intitule": "Changé"}
    page_1 = lue("france_travail_offres_74_0-1.json")
    ft.pannes += [
        # the first two of three, then the outage on the next range
        httpx.Response(206, json=page_1["corps"], headers={"Content-Range": "offres 0-1/3"}),
        httpx.Response(statut, text="<html>Service Unavailable</html>"),
    ]
    with pytest.raises(FranceTravailIndisponible, match=f"indisponible.*{statut}"):
        async with sessions() as session:
            await importer(session, client, taille=1)
    apres = await _offres(sessions)
    assert apres[CHAMONIX].statut == "ouverte"
    assert apres[THONON].intitule == "Aide-soignant / Aide-soignante (H/F)"


async def test_reponse_sans_la_forme_d_une_recherche(
    sessions: SessionFactory, client: ClientOffresFT, ft: FranceTravailEnregistre
) -> None:
    ft.pannes.append(httpx.Response(206, text="<html>maintenance</html>"))
    with pytest.raises(FranceTravailIndisponible, match="resultats"):
        async with sessions() as session:
            await importer(session, client, taille=2)
    assert await _offres(sessions) == {}


async def test_une_offre_sans_siret_se_rattache_et_le_reste_apres_reimport(
    sessions: SessionFactory, client: ClientOffresFT
) -> None:
    """Kept without SIRET: no hiring can be declared from it until a chargé attaches it to a
    company of the directory; a later import (still without SIRET) keeps that company."""
    async with sessions() as session:
        await importer(session, client, taille=2)
    aide = un_siret()
    offre_id = (await _offres(sessions))[SANS_SIRET].id
    proposition = PropositionRow(
        id="p", offre_id=offre_id, parcours_id="x", statut="entretien", propose_par="cre",
        cree_le=maintenant(), mis_a_jour=maintenant(),
    )  # fmt: skip
    suite = SuiteProposition(
        statut="embauchee", date_debut=date(2026, 12, 1), date_fin=date(2027, 5, 31)
    )
    async with sessions() as session:
        with pytest.raises(EmployeurRefuse) as refus:
            await propositions.embauche(session, proposition, suite)
        assert (refus.value.status, refus.value.code) == (409, "entreprise_non_identifiee")
        with pytest.raises(EmployeurRefuse) as inconnue:
            await offres.rattacher(session, offre_id, aide)  # not in the directory
        assert inconnue.value.erreurs[0]["champ"] == "siret"
        session.add(
            EntrepriseRow(siret=aide, nom="Aide et Domicile", origine="saisie",
                          cree_le=maintenant(), mis_a_jour=maintenant())
        )  # fmt: skip
        await session.commit()
        await offres.rattacher(session, offre_id, aide)
        declaration = await propositions.embauche(session, proposition, suite)
    assert declaration.employeur.siret == aide
    async with sessions() as session:
        bilan = await importer(session, client, taille=2)
    assert bilan.sans_siret == 1
    apres = (await _offres(sessions))[SANS_SIRET]
    assert (apres.siret, apres.entreprise_nom) == (aide, "AIDE ET DOMICILE ANNECY")
