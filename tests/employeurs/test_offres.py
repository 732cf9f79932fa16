"""Offers: of a company of the directory, with a ROME code of the referential, a place that
gives the bassin, constraints and a status; mistakes named in a 422."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from employeurs import annuaire, offres
from employeurs.annuaire import EmployeurRefuse
from schemas.common import Territoire
from schemas.employeur import EntrepriseSaisie, OffreSaisie, StatutOffre
from store.db import SessionFactory
from tests.factories import CLAIRE

THONON = "41852963200022"
AIDE_SOIGNANT = {
    "siret": THONON,
    "intitule": "Aide-soignant(e) de nuit",
    "code_rome": "J1501",
    "code_postal": "74200",
    "commune": "Thonon-les-Bains",
    "type_contrat": "cdi",
    "heures_hebdomadaires": 35,
    "horaires": "Nuits, un week-end sur deux",
    "horaires_decales": True,
    "permis_requis": False,
    "inclusive": True,
}


async def test_une_offre_inclusive_et_son_statut(sessions: SessionFactory) -> None:
    async with sessions() as session:
        await annuaire.enregistrer(session, EntrepriseSaisie(siret=THONON, nom="Ehpad"))
        offre = await offres.publier(session, OffreSaisie(**AIDE_SOIGNANT), CLAIRE)
        assert (offre.bassin, offre.commune_insee, offre.statut) == ("chablais", "74281", "ouverte")
        assert offre.inclusive
        assert offre.horaires_decales
        assert [o.id for o in await offres.lister(session, Territoire.CHABLAIS)] == [offre.id]
        assert await offres.lister(session, Territoire.VALLEE_ARVE) == []
        await offres.changer_statut(session, offre.id, StatutOffre.POURVUE)
        assert await offres.lister(session, statut=StatutOffre.OUVERTE) == []
        assert [o.id for o in await offres.lister(session, inclusives=True)] == [offre.id]


async def test_entreprise_absente_de_l_annuaire(sessions: SessionFactory) -> None:
    async with sessions() as session:
        with pytest.raises(EmployeurRefuse) as refus:
            await offres.publier(session, OffreSaisie(**AIDE_SOIGNANT), CLAIRE)
    assert refus.value.erreurs == [
        {"champ": "siret", "message": "Entreprise absente de l'annuaire : ajoutez-la d'abord"}
    ]


@pytest.mark.parametrize(
    ("champ", "valeur"),
    [("code_rome", "Z9999"), ("code_rome", "J15"), ("siret", "41852963200023")],
)
def test_saisie_refusee(champ: str, valeur: str) -> None:
    with pytest.raises(ValidationError) as err:
        OffreSaisie(**AIDE_SOIGNANT | {champ: valeur})
    assert err.value.errors()[0]["loc"] == (champ,)
