"""More than 1 150 offers in the département: the API gives one search 1 150 at most (``range``
up to 1000-1149, refused past it), so the import reads the département window of creation
dates by window, each halved until it holds 1 150 at most, and brings every offer back. On the
recorded answers' form (206 then 200, ``Content-Range``), offers cloned from the recorded one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from employeurs.france_travail import ClientOffresFT, ConfigOffresFT, importer, lire_le_departement
from store.db import SessionFactory
from tests.employeurs.reponses import (
    CLIENT_ID,
    CLIENT_SECRET,
    URL_JETON,
    URL_OFFRES,
    FranceTravailEnregistre,
    offres_enregistrees,
)

MAINTENANT = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)


def _offres(nombre: int, ecart: timedelta) -> list[dict[str, Any]]:
    """``nombre`` offers like the recorded one, created ``ecart`` apart before MAINTENANT."""
    modele = offres_enregistrees()[0]
    return [
        modele
        | {
            "id": f"9{i:06d}",
            "dateCreation": (MAINTENANT - i * ecart).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        }
        for i in range(nombre)
    ]


@pytest.fixture
def ft() -> FranceTravailEnregistre:
    return FranceTravailEnregistre()


@pytest.fixture
async def client(ft: FranceTravailEnregistre) -> AsyncIterator[ClientOffresFT]:
    config = ConfigOffresFT(URL_OFFRES, URL_JETON, CLIENT_ID, SecretStr(CLIENT_SECRET))
    async with httpx.AsyncClient(transport=ft.transport()) as http:
        yield ClientOffresFT(config, http)


def _recherches(ft: FranceTravailEnregistre) -> list[httpx.Request]:
    return [a for a in ft.appels if a.url.path.endswith("/search")]


async def test_plus_de_1150_offres_toutes_ramenees(
    sessions: SessionFactory, client: ClientOffresFT, ft: FranceTravailEnregistre
) -> None:
    ft.offres = _offres(2600, timedelta(minutes=17))  # a month of offers
    lecture = await lire_le_departement(client, instant=MAINTENANT)
    assert (len(lecture.offres), lecture.total, lecture.complete) == (2600, 2600, True)
    assert {o["id"] for o in lecture.offres} == {o["id"] for o in ft.offres}
    recherches = _recherches(ft)
    # the whole département first (2 600 announced), then creation windows
    assert "minCreationDate" not in recherches[0].url.params
    fenetres = [r for r in recherches[1:] if "minCreationDate" in r.url.params]
    assert len(fenetres) == len(recherches) - 1
    assert fenetres[0].url.params["minCreationDate"] == "2000-01-01T00:00:00Z"
    assert max(r.url.params["maxCreationDate"] for r in fenetres) == "2026-12-04T17:00:00Z"
    for r in recherches:  # every range within the API's bounds
        debut, fin = (int(n) for n in r.url.params["range"].split("-"))
        assert debut <= 1000
        assert fin <= 1149
    assert len(recherches) < 80

    async with sessions() as session:
        bilan = await importer(session, client)
    assert (bilan.lues, bilan.ajoutees, bilan.complete) == (2600, 2600, True)


async def test_une_heure_de_plus_de_1150_offres_lecture_incomplete_dite(
    sessions: SessionFactory, client: ClientOffresFT, ft: FranceTravailEnregistre
) -> None:
    """1 200 offers created the same second: no window narrower than an hour is asked; 1 150
    are read, the listing is said incomplete and nothing is closed."""
    ft.offres = _offres(1200, timedelta(0))
    lecture = await lire_le_departement(client, instant=MAINTENANT)
    assert (len(lecture.offres), lecture.total, lecture.complete) == (1150, 1200, False)
    plus_etroite = min(
        datetime.fromisoformat(r.url.params["maxCreationDate"])
        - datetime.fromisoformat(r.url.params["minCreationDate"])
        for r in _recherches(ft)
        if "minCreationDate" in r.url.params
    )
    assert timedelta(minutes=30) <= plus_etroite <= timedelta(hours=1)
