"""Every « too many tries » says when to come back, in a « Retry-After » header a browser or a
client can act on, not only in its sentence: the personal links' pages (booking, carnet, a
structure's orientation) like the login and the partner API already did."""

from __future__ import annotations

import secrets

import pytest

from tests.fixtures.plateforme import Plateforme
from web.securite.limites import Limites, Reglage, reglages


@pytest.mark.parametrize("page", ["rdv", "carnet", "orientation"])
async def test_trop_de_tentatives_dit_quand_revenir(
    plateforme: Plateforme, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    # the platform's limits, one try a minute for this test only
    un_essai = {nom: Reglage(maximum=1, fenetre_s=60) for nom in reglages(plateforme.settings)}
    monkeypatch.setattr(plateforme.app.state, "limites", Limites(un_essai))
    async with plateforme.client() as personne:
        premier = await personne.get(f"/{page}/{secrets.token_urlsafe(32)}")
        assert premier.status_code == 404, premier.text
        assert "retry-after" not in premier.headers
        r = await personne.get(f"/{page}/{secrets.token_urlsafe(32)}")
    assert r.status_code == 429, r.text
    assert "Trop de tentatives : réessayez dans une minute." in r.text
    assert 0 < int(r.headers["retry-after"]) <= 60
