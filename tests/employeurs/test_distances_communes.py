"""The pool keeps a person's commune by name and an offer its commune: both now get their
town hall's position (referentiels/territoires), so the matching measures real distances
between communes instead of « 0 km » within one and « distance inconnue » across two."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from employeurs.rapprochement import classer, distance_km
from employeurs.vivier import candidat, cible
from store.employeurs import EntrepriseRow, OffreRow, VivierRow

MAINTENANT = datetime(2026, 12, 3, tzinfo=UTC)


def personne(pid: str, commune: str, distance_max_km: int = 30) -> VivierRow:
    return VivierRow(
        parcours_id=pid,
        territoire="chablais",
        commune=commune,
        pret=True,
        consentement=True,
        projets=["J1501"],
        permis_b=True,
        distance_max_km=distance_max_km,
        mis_a_jour=MAINTENANT,
    )


def offre(commune: str, insee: str | None) -> OffreRow:
    return OffreRow(
        id="o-1",
        siret="00000000000000",
        intitule="Aide-soignant",
        code_rome="J1501",
        code_postal="74200",
        commune=commune,
        commune_insee=insee,
        type_contrat="CDI",
        statut="ouverte",
        source="saisie",
        cree_par="test",
        cree_le=MAINTENANT,
        mis_a_jour=MAINTENANT,
    )


def test_deux_communes_du_chablais_sont_a_leur_vraie_distance() -> None:
    thonon = cible(offre("Thonon-les-Bains", "74281"), None)
    evian = candidat(personne("p-evian", "ÉVIAN-LES-BAINS"))  # found by name, any case
    km = distance_km(evian.lieu, thonon.lieu)
    assert km is not None
    assert km == pytest.approx(9.5, abs=1.5)
    (rang,) = classer(thonon, [evian])
    assert f"à {round(km)} km, permis B" in rang.raisons


def test_trop_loin_ecarte_et_entreprise_sur_place_plus_precise() -> None:
    thonon = cible(offre("Thonon-les-Bains", "74281"), None)
    annecy = candidat(personne("p-annecy", "Annecy", distance_max_km=30))
    assert classer(thonon, [annecy]) == []  # about 58 km: beyond the 30 km accepted
    usine = EntrepriseRow(
        siret="00000000000000",
        nom="Clinique",
        commune_insee="74281",
        latitude=46.3600,
        longitude=6.4500,
        origine="saisie",
        cree_le=MAINTENANT,
        mis_a_jour=MAINTENANT,
    )
    sur_place = cible(offre("Thonon-les-Bains", "74281"), usine)
    assert (sur_place.lieu.latitude, sur_place.lieu.longitude) == (46.3600, 6.4500)


def test_commune_inconnue_distance_inconnue() -> None:
    thonon = cible(offre("Thonon-les-Bains", "74281"), None)
    ailleurs = candidat(personne("p-geneve", "Genève"))  # not a commune of the département
    assert distance_km(ailleurs.lieu, thonon.lieu) is None
    (rang,) = classer(thonon, [ailleurs])
    assert "distance inconnue, permis B" in rang.raisons
