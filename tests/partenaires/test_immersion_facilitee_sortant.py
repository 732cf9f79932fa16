"""The outbound side of Immersion Facilitée against the simulator that speaks its API v2: the
idempotent subscription, the catch-up read, and the real error cases (401, 429 with and
without Retry-After, 5xx, malformed body)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI, Request
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.http import ClientPartenaire
from activities.immersion_facilitee import CHEMIN_RAPPEL, ImmersionFacilitee
from core.partners import PartnerConfig, load_partners
from core.settings import Settings
from simulator.app import create_app
from simulator.immersion_facilitee import EtatImmersionFacilitee, Panne
from simulator.store import Store
from store.db import SessionFactory, create_schema, make_engine, session_factory
from store.evenements_partenaires import EvenementRecu, StatutReception
from tests.fixtures.simulateur import serveur_http

FIXTURES = Path(__file__).parents[1] / "fixtures" / "immersion_facilitee"
PUBLIQUE = "https://parcours.example.org"


@pytest_asyncio.fixture
async def sessions(tmp_path: Path) -> AsyncIterator[SessionFactory]:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'lecture.db'}")
    await create_schema(engine)
    yield session_factory(engine)
    await engine.dispose()


class Banc:
    def __init__(self, tmp_path: Path, sessions: SessionFactory) -> None:
        settings = Settings(DATA_DIR=str(tmp_path))
        self.app = create_app(settings, Store(tmp_path / "sim.json"))
        self.etat: EtatImmersionFacilitee = self.app.state.immersion_facilitee
        partners = load_partners(settings.partners_file, "http://simulateur")
        self.config = partners["immersion"]
        self.http = httpx.AsyncClient(timeout=60, transport=httpx.ASGITransport(app=self.app))
        self.sessions = sessions

    def connecteur(self, config: PartnerConfig | None = None) -> ImmersionFacilitee:
        config = config or self.config
        client = ClientPartenaire(config, self.http, schema_auth="")
        return ImmersionFacilitee(client, config, PUBLIQUE, self.sessions)


@pytest_asyncio.fixture
async def banc(tmp_path: Path, sessions: SessionFactory) -> AsyncIterator[Banc]:
    b = Banc(tmp_path, sessions)
    yield b
    await b.http.aclose()


async def _executer(fonction: Any, *args: Any) -> Any:
    return await ActivityEnvironment().run(fonction, *args)


async def test_la_souscription_est_idempotente_et_suit_le_secret(banc: Banc) -> None:
    premiere = await _executer(banc.connecteur().souscrire)
    assert premiere.action == "souscrit"
    encore = await _executer(banc.connecteur().souscrire)
    assert encore.action == "deja_souscrit"
    (s,) = banc.etat.souscriptions.values()
    assert s["callbackUrl"] == PUBLIQUE + CHEMIN_RAPPEL
    assert s["subscribedEvent"] == "convention.updated"
    assert s["callbackHeaders"] == {"authorization": banc.config.secret}
    assert str(banc.config.secret) not in json.dumps(encore.model_dump())  # not in the history

    tourne = replace(banc.config, secret="whsec_bm91dmVhdS1zZWNyZXQtZGUtcmFwcGVs")
    renouvelee = await _executer(banc.connecteur(tourne).souscrire)
    assert renouvelee.action == "renouvele"
    (s,) = banc.etat.souscriptions.values()  # the stale one was deleted, not kept beside
    assert s["callbackHeaders"] == {"authorization": tourne.secret}


async def test_la_lecture_passe_par_l_adaptateur(banc: Banc, sessions: SessionFactory) -> None:
    bilan = json.loads((FIXTURES / "convention_bilan.json").read_text())
    ancienne = {**bilan, "id": "ancienne", "dateStart": "2020-01-06T00:00:00.000Z"}
    banc.etat.conventions = {
        "a": bilan,
        "b": ancienne,
        "c": {"id": "c", "status": "??", "dateStart": "2026-12-01"},
    }
    resultat = await _executer(banc.connecteur().lire_conventions, date(2026, 11, 1))
    assert (resultat.conventions, resultat.evenements, resultat.illisibles) == (1, 3, 1)
    async with sessions() as session:
        ligne = await session.get(EvenementRecu, ("immersion", f"{bilan['id']}.bilan"))
    assert ligne is not None
    assert ligne.statut == StatutReception.A_RAPPROCHER.value  # no PMSMP of that company here
    encore = await _executer(banc.connecteur().lire_conventions, date(2026, 11, 1))
    assert encore.nouveaux == 0  # read again: duplicates only


async def _echec(banc: Banc, config: PartnerConfig | None = None) -> ApplicationError:
    with pytest.raises(ApplicationError) as erreur:
        await _executer(banc.connecteur(config).souscrire)
    return erreur.value


async def test_401_cle_refusee_sans_nouvel_essai(banc: Banc) -> None:
    erreur = await _echec(banc, replace(banc.config, jeton="pas-la-bonne-cle"))
    assert erreur.type == "RefusPartenaire"
    assert erreur.non_retryable
    assert "incorrect Jwt" in erreur.message
    assert erreur.details[0]["statut_http"] == 401


@pytest.mark.parametrize(("retry_after", "attendu"), [(7, timedelta(seconds=7)), (None, None)])
async def test_429_reessaie_au_delai_donne(
    banc: Banc, retry_after: int | None, attendu: timedelta | None
) -> None:
    banc.etat.panne = Panne(mode="limite", retry_after=retry_after)
    erreur = await _echec(banc)
    assert erreur.type == "PartenaireIndisponible"
    assert not erreur.non_retryable
    assert erreur.next_retry_delay == attendu  # none: the retry policy's own backoff


@pytest.mark.parametrize(("mode", "extrait"), [("erreur", "(500)"), ("malforme", "illisible")])
async def test_5xx_et_corps_malforme_reessayes(banc: Banc, mode: str, extrait: str) -> None:
    banc.etat.panne = Panne.model_validate({"mode": mode})
    erreur = await _echec(banc)
    assert erreur.type == "PartenaireIndisponible"
    assert not erreur.non_retryable
    assert extrait in erreur.message


async def test_le_simulateur_rappelle_comme_le_reel(banc: Banc, tmp_path: Path) -> None:
    """A convention put in the simulator is POSTed once to the subscriber, with the real body
    and the ``callbackHeaders`` given at subscription."""
    recus: list[tuple[dict[str, str], Any]] = []
    abonne = FastAPI()

    @abonne.post(CHEMIN_RAPPEL)
    async def rappel(request: Request) -> dict[str, str]:
        recus.append((dict(request.headers), await request.json()))
        return {}

    with serveur_http(abonne) as adresse:
        client = ClientPartenaire(banc.config, banc.http, schema_auth="")
        connecteur = ImmersionFacilitee(client, banc.config, adresse, banc.sessions)
        await _executer(connecteur.souscrire)
        convention = json.loads((FIXTURES / "convention_bilan.json").read_text())
        r = await banc.http.put(
            "http://simulateur/_simulateur/immersion-facilitee/conventions", json=convention
        )
    assert r.status_code == 200, r.text
    assert r.json()["rappels"] == [{"callbackUrl": adresse + CHEMIN_RAPPEL, "status": 200}]
    ((entetes, corps),) = recus
    assert entetes["authorization"] == banc.config.secret
    assert corps == {"payload": {"convention": convention}, "subscribedEvent": "convention.updated"}
