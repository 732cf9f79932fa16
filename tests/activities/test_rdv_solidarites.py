"""The RDV-Solidarités client on the tool's contract: recorded answers (success, pages, the real
error bodies; 401, 429 with Retry-After, 5xx, malformed) and the simulator speaking the same API."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.rdv_solidarites import (
    ClientRdvSolidarites,
    IdentifiantsAgent,
    RdvSolidaritesActivities,
)
from core.partners import PartnerConfig, load_partners
from core.settings import Settings
from schemas.appels import AppelPartenaire
from schemas.incident import TypeOperation
from schemas.rdv_solidarites import InscriptionRdvSolidarites, UsagerRdvSolidarites
from simulator.app import create_app
from simulator.store import Store

FIXTURES = Path(__file__).parents[1] / "fixtures" / "rdv_solidarites"
CONFIG = PartnerConfig(
    id="rdv", nom="RDV-Solidarités", source=None, secret=None, jeton="jeton", url="https://rdv.test"
)
AGENT = IdentifiantsAgent(uid="agent@cd74.test", client="parcours", access_token="jeton")
NADIA = UsagerRdvSolidarites(organisation_ids=[352], first_name="Nadia", last_name="Benali")
Repondeur = Callable[[httpx.Request], httpx.Response]


def appel_nadia() -> AppelPartenaire:
    """The call as the parcours makes it (its payload, the operation's idempotency key)."""
    return AppelPartenaire(
        idempotence="p-op-1",
        parcours_id="p",
        operation=TypeOperation.INSCRIRE_RDV_SOLIDARITES,
        donnees=InscriptionRdvSolidarites(usager=NADIA).model_dump(mode="json"),
    )


def enregistre(nom: str, statut: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(statut, content=(FIXTURES / nom).read_bytes(), headers=headers)


async def appel(repondeur: Repondeur, quoi: Callable[[ClientRdvSolidarites], Any]) -> Any:
    """Run ``quoi`` in an activity's context against these answers."""
    requetes: list[httpx.Request] = []

    def transport(request: httpx.Request) -> httpx.Response:
        requetes.append(request)
        return repondeur(request)

    async with httpx.AsyncClient(timeout=60, transport=httpx.MockTransport(transport)) as http:
        client = ClientRdvSolidarites(CONFIG, AGENT, http)

        async def dans_l_activite() -> Any:
            return await quoi(client)

        resultat = await ActivityEnvironment().run(dans_l_activite)
    return resultat, requetes


async def test_creation_et_invitation_sur_reponses_enregistrees() -> None:
    def repondeur(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/users":
            return enregistre("api_users_create_200.json")
        return enregistre("api_rdv_invitation_token_200.json")

    activites = RdvSolidaritesActivities  # the activity, with its client

    async def inviter(client: ClientRdvSolidarites) -> Any:
        return await activites(client).inscrire_usager(appel_nadia())

    resultat, requetes = await appel(repondeur, inviter)
    assert resultat == {"rdv_solidarites_id": "731204"}  # no invitation token: not in history
    creation, jeton = requetes
    assert (creation.method, creation.url.path) == ("POST", "/api/v1/users")
    assert json.loads(creation.content)["organisation_ids"] == [352]
    assert jeton.url.path == "/api/v1/users/731204/rdv_invitation_token"
    for r in requetes:
        assert (r.headers["uid"], r.headers["client"], r.headers["access-token"]) == (
            "agent@cd74.test",
            "parcours",
            "jeton",
        )


async def test_pagination_suit_meta_next_page() -> None:
    def repondeur(request: httpx.Request) -> httpx.Response:
        return enregistre(f"api_organisations_page{request.url.params['page']}.json")

    async def toutes(client: ClientRdvSolidarites) -> list[int]:
        return [o["id"] async for o in client.organisations(par_page=2)]

    ids, requetes = await appel(repondeur, toutes)
    assert ids == [352, 353, 354]
    assert [r.url.params["page"] for r in requetes] == ["1", "2"]


@pytest.mark.parametrize(
    ("reponse", "reessaye", "message"),
    [
        (lambda: enregistre("api_401.json", 401), False, "Vous devez vous connecter"),
        (lambda: enregistre("api_422_record_invalid.json", 422), False, "last_name doit être"),
        (lambda: enregistre("api_403_forbidden.json", 403), False, "ne pouvez pas effectuer"),
        (lambda: httpx.Response(502, text="<html>Bad Gateway</html>"), True, "en erreur (502)"),
        (lambda: httpx.Response(200, text="<html>maintenance</html>"), True, "illisible"),
        (lambda: httpx.Response(200, json={"utilisateur": {}}), True, "sans « user.id »"),
    ],
)
async def test_erreurs_du_reel(
    reponse: Callable[[], httpx.Response], reessaye: bool, message: str
) -> None:
    with pytest.raises(ApplicationError) as erreur:
        await appel(lambda _: reponse(), lambda c: c.creer_usager(NADIA))
    assert erreur.value.non_retryable is (not reessaye)
    assert message in erreur.value.message


async def test_429_attend_retry_after() -> None:
    trop = httpx.Response(429, text="Retry later\n", headers={"Retry-After": "37"})
    with pytest.raises(ApplicationError) as erreur:
        await appel(lambda _: trop, lambda c: c.creer_usager(NADIA))
    assert not erreur.value.non_retryable
    assert erreur.value.next_retry_delay == timedelta(seconds=37)


async def test_le_simulateur_parle_le_meme_contrat(tmp_path: Path) -> None:
    settings = Settings()
    app = create_app(settings, Store(tmp_path / "simulateur.json"))
    config = load_partners(settings.partners_file, "http://simulateur")["rdv"]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(timeout=60, transport=transport) as http:
        bon = ClientRdvSolidarites(config, IdentifiantsAgent.depuis(config, {}), http)
        env = ActivityEnvironment()
        invite = await env.run(RdvSolidaritesActivities(bon).inscrire_usager, appel_nadia())
        assert invite["rdv_solidarites_id"].isdigit()
        ids = await env.run(lambda: _ids(bon))
        assert len(ids) == 5
        faux = IdentifiantsAgent(uid="agent@simulateur.test", client="x", access_token="faux")
        with pytest.raises(ApplicationError, match="Vous devez vous connecter") as erreur:
            await env.run(ClientRdvSolidarites(config, faux, http).creer_usager, NADIA)
        assert erreur.value.non_retryable
        sans_nom = NADIA.model_copy(update={"last_name": " "})
        with pytest.raises(ApplicationError, match="last_name blank"):
            await env.run(bon.creer_usager, sans_nom)


async def _ids(client: ClientRdvSolidarites) -> list[int]:
    return [o["id"] async for o in client.organisations(par_page=2)]
