"""OpenID Connect login (ProConnect-compatible: authorization code + PKCE, state, nonce) against
a real local identity provider (oidc-provider-mock, an OIDC server for tests): an account is
linked only by a verified e-mail, the callback only counts in the browser that started the
login, and the provider's discovery document must name the configured issuer."""

from __future__ import annotations

import html
import json
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from oidc_provider_mock import User, run_server_in_thread

from core.settings import Settings
from devstack.demo.comptes import creer_comptes
from store.db import create_schema, make_engine, session_factory
from tests.fixtures.plateforme import servir
from tests.securite.cockpit_seul import cockpit_seul
from web.app import create_app


@pytest.fixture(scope="module")
def idp() -> Iterator[str]:
    users = [
        User(
            sub="proconnect-claire",
            claims={"email": "claire.martin@hautesavoie.fr", "email_verified": True},
        ),
        User(
            sub="proconnect-inconnu",
            claims={"email": "quelqu.un@ailleurs.fr", "email_verified": True},
        ),
        # Someone who typed Sophie's address at a provider that never checked it.
        User(
            sub="proconnect-usurpateur",
            claims={"email": "sophie.girard@hautesavoie.fr", "email_verified": False},
        ),
        User(sub="proconnect-sans-verification", claims={"email": "anne.lefevre@spie74.fr"}),
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
    async with servir(create_app(settings), sock):
        yield f"http://127.0.0.1:{port}"


async def _retour_du_fournisseur(client: httpx.AsyncClient, base: str, sub: str) -> str:
    """Click « ProConnect », choose an identity at the provider: the callback link it gives."""
    page = await client.get(f"{base}/connexion")
    assert '<span class="fr-connect__brand">ProConnect</span>' in page.text  # DSFR fr-connect
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
    return str(retour.headers["location"])


async def _se_connecter(client: httpx.AsyncClient, base: str, sub: str) -> httpx.Response:
    """What a person does: click « ProConnect », choose their identity, come back."""
    callback = await _retour_du_fournisseur(client, base, sub)
    return await client.get(callback, follow_redirects=False)


async def test_connexion_proconnect_d_un_compte_connu(cockpit: str) -> None:
    async with httpx.AsyncClient(timeout=60) as client:
        arrivee = await _se_connecter(client, cockpit, "proconnect-claire")
        assert arrivee.status_code == 303
        assert arrivee.headers["location"] == "/coordination"
        assert "parcours_session" in client.cookies
        page = await client.get(f"{cockpit}/", follow_redirects=False)
        assert page.status_code == 200
        assert "Claire Martin" in page.text


async def test_un_compte_inconnu_est_refuse(cockpit: str) -> None:
    async with httpx.AsyncClient(timeout=60) as client:
        arrivee = await _se_connecter(client, cockpit, "proconnect-inconnu")
        assert arrivee.status_code == 403
        assert "n'est pas autorisé sur Parcours" in html.unescape(arrivee.text)
        assert "parcours_session" not in client.cookies


async def test_un_state_rejoue_est_refuse(cockpit: str) -> None:
    async with httpx.AsyncClient(timeout=60) as client:
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


async def test_une_adresse_non_verifiee_ne_lie_aucun_compte(cockpit: str) -> None:
    for sub in ("proconnect-usurpateur", "proconnect-sans-verification"):
        async with httpx.AsyncClient(timeout=60) as client:
            arrivee = await _se_connecter(client, cockpit, sub)
            assert arrivee.status_code == 403, sub
            assert "n'a pas vérifié votre adresse électronique" in html.unescape(arrivee.text)
            assert "parcours_session" not in client.cookies


async def test_un_lien_de_retour_ouvert_dans_un_autre_navigateur_est_refuse(cockpit: str) -> None:
    """Login CSRF: an attacker starts a login with their own identity and sends the callback
    link to a victim, whose browser would then work inside the attacker's account."""
    async with httpx.AsyncClient(timeout=60) as attaquant:
        piege = await _retour_du_fournisseur(attaquant, cockpit, "proconnect-claire")
    async with httpx.AsyncClient(timeout=60) as victime:
        arrivee = await victime.get(piege, follow_redirects=False)
        assert arrivee.status_code == 403
        assert "pas été commencée depuis ce navigateur" in html.unescape(arrivee.text)
        assert "parcours_session" not in victime.cookies


@pytest.fixture
def faux_emetteur(idp: str) -> Iterator[str]:
    """A server at the configured address whose discovery document names another issuer."""
    document = json.dumps(httpx.get(f"{idp}/.well-known/openid-configuration").json()).encode()

    class Decouverte(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(document)

        def log_message(self, *_: object) -> None:
            pass

    serveur = ThreadingHTTPServer(("127.0.0.1", 0), Decouverte)
    fil = threading.Thread(target=serveur.serve_forever, daemon=True)
    fil.start()
    yield f"http://127.0.0.1:{serveur.server_port}"
    serveur.shutdown()
    fil.join(10)


async def test_un_emetteur_autre_que_celui_configure_est_refuse(
    faux_emetteur: str, tmp_path: Path, base_lecture: str
) -> None:
    reglages = {
        "OIDC_ISSUER": faux_emetteur,
        "OIDC_CLIENT_ID": "parcours",
        "OIDC_CLIENT_SECRET": "secret-de-test",
    }
    async with (
        cockpit_seul(tmp_path, base_lecture, **reglages) as base,
        httpx.AsyncClient(timeout=60) as client,
    ):
        vers_idp = await client.get(f"{base}/connexion/oidc", follow_redirects=False)
        assert vers_idp.status_code == 503
        assert "mal configurée" in html.unescape(vers_idp.text)
        assert "location" not in vers_idp.headers
