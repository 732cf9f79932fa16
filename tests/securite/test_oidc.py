"""OpenID Connect login (ProConnect-compatible: authorization code + PKCE, state, nonce) against
a real local identity provider (oidc-provider-mock, an OIDC server for tests)."""

from __future__ import annotations

import html
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from oidc_provider_mock import User, run_server_in_thread

from core.settings import Settings
from devstack.demo.comptes import creer_comptes
from store.db import create_schema, make_engine, session_factory
from tests.fixtures.plateforme import serve_in_thread
from web.app import create_app


@pytest.fixture(scope="module")
def idp() -> Iterator[str]:
    users = [
        User(sub="proconnect-claire", claims={"email": "claire.martin@hautesavoie.fr"}),
        User(sub="proconnect-inconnu", claims={"email": "quelqu.un@ailleurs.fr"}),
    ]
    with run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest_asyncio.fixture
async def cockpit(idp: str, tmp_path: Path, base_lecture: str) -> AsyncIterator[str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    settings = Settings(
        DATA_DIR=tmp_path,
        DATABASE_URL=base_lecture,
        PORT=port,
        PUBLIC_URL=f"http://127.0.0.1:{port}",
        OIDC_ISSUER=idp,
        OIDC_CLIENT_ID="parcours",
        OIDC_CLIENT_SECRET="secret-de-test",
        TEMPORAL_ADDRESS="127.0.0.1:1",
    )
    engine = make_engine(settings.effective_database_url)
    await create_schema(engine)
    async with session_factory(engine)() as session:
        await creer_comptes(session)
    await engine.dispose()
    servers = serve_in_thread(create_app(settings), sock)
    next(servers)
    yield f"http://127.0.0.1:{port}"
    next(servers, None)


async def _se_connecter(client: httpx.AsyncClient, base: str, sub: str) -> httpx.Response:
    """What a person does: click « ProConnect », choose their identity at the provider."""
    page = await client.get(f"{base}/connexion")
    assert "Se connecter avec ProConnect" in page.text
    vers_idp = await client.get(
        f"{base}/connexion/oidc?suite=/coordination", follow_redirects=False
    )
    assert vers_idp.status_code == 303
    authorize = vers_idp.headers["location"]
    assert "code_challenge_method=S256" in authorize
    assert "nonce=" in authorize
    form = await client.get(authorize)
    assert form.status_code == 200
    retour = await client.post(authorize, data={"sub": sub}, follow_redirects=False)
    assert retour.status_code in (302, 303)
    return await client.get(retour.headers["location"], follow_redirects=False)


async def test_connexion_proconnect_d_un_compte_connu(cockpit: str) -> None:
    async with httpx.AsyncClient() as client:
        arrivee = await _se_connecter(client, cockpit, "proconnect-claire")
        assert arrivee.status_code == 303
        assert arrivee.headers["location"] == "/coordination"
        assert "parcours_session" in client.cookies
        page = await client.get(f"{cockpit}/", follow_redirects=False)
        assert page.status_code == 200
        assert "Claire Martin" in page.text


async def test_un_compte_inconnu_est_refuse(cockpit: str) -> None:
    async with httpx.AsyncClient() as client:
        arrivee = await _se_connecter(client, cockpit, "proconnect-inconnu")
        assert arrivee.status_code == 403
        assert "n'est pas autorisé sur Parcours" in html.unescape(arrivee.text)
        assert "parcours_session" not in client.cookies


async def test_un_state_rejoue_est_refuse(cockpit: str) -> None:
    async with httpx.AsyncClient() as client:
        vers_idp = await client.get(f"{cockpit}/connexion/oidc", follow_redirects=False)
        authorize = vers_idp.headers["location"]
        retour = await client.post(
            authorize, data={"sub": "proconnect-claire"}, follow_redirects=False
        )
        callback = retour.headers["location"]
        assert (await client.get(callback, follow_redirects=False)).status_code == 303
        rejoue = await client.get(callback, follow_redirects=False)
        assert rejoue.status_code == 403
        assert "inconnue ou a déjà servi" in html.unescape(rejoue.text)
