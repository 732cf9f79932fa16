"""A first ProConnect login of an agent of a known structure (its e-mail domain, or its SIRET
claim) becomes a request that the structure's administrator approves from a queue, instead of
a refusal — when OIDC_COMPTES_EN_ATTENTE is on. Against a real local identity provider."""

from __future__ import annotations

import html
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from oidc_provider_mock import User, run_server_in_thread

from core.settings import Settings
from schemas.common import Role
from store.comptes import Compte
from store.db import create_schema, ecriture, make_engine, session_factory
from store.structures import Structure
from tests.administration.outils import un_siret
from tests.fixtures.plateforme import servir
from tests.securite.test_oidc import _se_connecter
from web.app import create_app
from web.securite.sessions import creer_jeton

SIRET = un_siret()


@pytest.fixture(scope="module")
def idp() -> Iterator[str]:
    users = [
        User(
            sub="pc-nouvelle",
            claims={
                "email": "nina.nouvelle@ml-arve.fr",
                "email_verified": True,
                "given_name": "Nina",
                "usual_name": "Nouvelle",
            },
        ),
        User(
            sub="pc-siret",
            claims={"email": "sam@autre-domaine.fr", "email_verified": True, "siret": SIRET},
        ),
        User(sub="pc-inconnu", claims={"email": "x@nulle-part.fr", "email_verified": True}),
    ]
    with run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest_asyncio.fixture
async def cockpit(idp: str, tmp_path: Path, base_lecture: str) -> AsyncIterator[tuple[str, str]]:
    """The cockpit with ProConnect and the setting on; a Mission Locale of the Arve valley
    and its administrator (an API token)."""
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
        OIDC_COMPTES_EN_ATTENTE=True,
        TEMPORAL_ADDRESS="127.0.0.1:1",
    )
    engine = make_engine(settings.effective_database_url)
    await create_schema(engine)
    async with session_factory(engine)() as session:
        await ecriture(session)
        session.add(
            Structure(
                id="ml-arve",
                nom="Mission Locale de l'Arve",
                type="mission_locale",
                siret=SIRET,
                territoires="vallee_arve",
                domaines="ml-arve.fr",
                cree_le=datetime.now(UTC),
            )
        )
        directrice = Compte(
            id="adm-ml-arve",
            email="direction@ml-arve.fr",
            nom="Direction ML Arve",
            role=Role.ADMIN_STRUCTURE.value,
            organisme="mission_locale",
            territoire="vallee_arve",
            structure_id="ml-arve",
            cree_le=datetime.now(UTC),
        )
        session.add(directrice)
        await session.commit()
        jeton = await creer_jeton(session, directrice, "tests")
    await engine.dispose()
    async with servir(create_app(settings), sock):
        yield f"http://127.0.0.1:{port}", jeton


async def test_une_premiere_connexion_devient_une_demande_a_approuver(
    cockpit: tuple[str, str],
) -> None:
    base, jeton = cockpit
    async with httpx.AsyncClient(timeout=60) as client:
        arrivee = await _se_connecter(client, base, "pc-nouvelle")
        assert arrivee.status_code == 403
        assert "transmise à l'administrateur de votre structure" in html.unescape(arrivee.text)
        assert "parcours_session" not in client.cookies

    entetes = {"Authorization": f"Bearer {jeton}"}
    async with httpx.AsyncClient(timeout=60, base_url=base, headers=entetes) as directrice:
        file = (await directrice.get("/api/v1/comptes", params={"en_attente": True})).json()
        assert [(c["email"], c["statut"]) for c in file] == [
            ("nina.nouvelle@ml-arve.fr", "en_attente")
        ]
        assert file[0]["structure_id"] == "ml-arve"
        page = await directrice.get("/administration")
        assert "Demandes en attente d'approbation (1)" in html.unescape(page.text)
        approuve = await directrice.post(f"/api/v1/comptes/{file[0]['id']}/reactiver")
        assert approuve.status_code == 200, approuve.text
        journal = (await directrice.get(f"/api/v1/comptes/{file[0]['id']}/journal")).json()
        assert [e["action"] for e in journal][:2] == ["compte_approuve", "compte_demande"]

    async with httpx.AsyncClient(timeout=60) as client:
        arrivee = await _se_connecter(client, base, "pc-nouvelle")
        assert arrivee.status_code == 303
        assert "parcours_session" in client.cookies


async def test_le_siret_de_l_identite_designe_la_structure(cockpit: tuple[str, str]) -> None:
    base, jeton = cockpit
    async with httpx.AsyncClient(timeout=60) as client:
        arrivee = await _se_connecter(client, base, "pc-siret")
        assert arrivee.status_code == 403
        assert "transmise" in html.unescape(arrivee.text)
    entetes = {"Authorization": f"Bearer {jeton}"}
    async with httpx.AsyncClient(timeout=60, base_url=base, headers=entetes) as directrice:
        file = (await directrice.get("/api/v1/comptes", params={"en_attente": True})).json()
        assert [c["email"] for c in file] == ["sam@autre-domaine.fr"]


async def test_une_identite_sans_structure_reste_refusee(cockpit: tuple[str, str]) -> None:
    base, jeton = cockpit
    async with httpx.AsyncClient(timeout=60) as client:
        arrivee = await _se_connecter(client, base, "pc-inconnu")
        assert arrivee.status_code == 403
        assert "n'est pas autorisé sur Parcours" in html.unescape(arrivee.text)
    entetes = {"Authorization": f"Bearer {jeton}"}
    async with httpx.AsyncClient(timeout=60, base_url=base, headers=entetes) as directrice:
        assert (await directrice.get("/api/v1/comptes", params={"en_attente": True})).json() == []
