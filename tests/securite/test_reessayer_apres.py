"""Every « too many tries » says when to come back, in a « Retry-After » header a browser or a
client can act on, not only in its sentence: the personal links' pages (booking, carnet, a
structure's orientation) like the login and the partner API already did."""

from __future__ import annotations

import secrets

import pytest

from tests.fixtures.plateforme import Plateforme
from web.cockpit import carnet_usager, orientation_structure, rendez_vous
from web.securite.limites import Limiteur


def _un_essai_par_minute() -> Limiteur:
    return Limiteur(maximum=1, fenetre_s=60)


@pytest.mark.parametrize("page", ["rdv", "carnet", "orientation"])
async def test_trop_de_tentatives_dit_quand_revenir(
    plateforme: Plateforme, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    # the pages' own limits, tightened for this test only (they are per process and per
    # address: the real ones would slow every other test's wrong links for a minute)
    if page == "carnet":
        monkeypatch.setattr(carnet_usager, "PAR_ADRESSE", _un_essai_par_minute())
    else:
        module = rendez_vous if page == "rdv" else orientation_structure
        limites = {m: _un_essai_par_minute() for m in module.REFUS_PAR_ADRESSE}
        monkeypatch.setattr(module, "REFUS_PAR_ADRESSE", limites)
    async with plateforme.client() as personne:
        premier = await personne.get(f"/{page}/{secrets.token_urlsafe(32)}")
        assert premier.status_code == 404, premier.text
        assert "retry-after" not in premier.headers
        r = await personne.get(f"/{page}/{secrets.token_urlsafe(32)}")
    assert r.status_code == 429, r.text
    assert "Trop de tentatives : réessayez dans une minute." in r.text
    assert 0 < int(r.headers["retry-after"]) <= 60
