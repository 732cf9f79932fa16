"""The input filter and the size cap cannot be walked around (issue 14, item 5).

Every body a route would parse is filtered, whatever the case or parameters of its type;
a type no route reads is refused (415); the 1 Mo cap holds for a body streamed without
Content-Length; an anonymous body is refused before a byte of it is read, except on the
login and logout forms (partner events: their route, after the signature)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from starlette.types import Message

from core.settings import Settings
from devstack.demo.comptes import base_avec_comptes
from store.db import make_engine, session_factory
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from web.app import create_app
from web.securite.saisies import genre_du_corps
from web.services import Services

CLAIRE = "ref-claire-martin"
NUL = "Appel\u0000du lundi"


def _contact(jour: date, objet: str) -> bytes:
    corps = {"le": jour.isoformat(), "mode": "telephone", "objet": objet}
    return json.dumps(corps).encode()


@pytest.mark.parametrize(
    "type_contenu", ["Application/JSON", "application/x+json", "application/json; charset=UTF-8"]
)
async def test_tout_corps_json_est_filtre(plateforme: Plateforme, type_contenu: str) -> None:
    jour = date.today()
    async with plateforme.client(CLAIRE) as claire:
        cree = await claire.post(
            "/api/v1/parcours", json=donnees.accueil(jour) | {"doublon_confirme": True}
        )
        pid = cree.json()["id"]
        r = await claire.post(
            f"/api/v1/parcours/{pid}/enregistrer-contact",
            content=_contact(jour, NUL),
            headers={"Content-Type": type_contenu},
        )
        assert r.status_code == 422, r.text
        assert r.json()["erreurs"][0]["champ"] == "objet"
        etat = (await claire.get(f"/api/v1/parcours/{pid}")).json()["etat"]
        assert etat["contacts"] == []


async def test_types_non_lus_refuses_et_flux_plafonne(plateforme: Plateforme) -> None:
    async with plateforme.client(CLAIRE) as claire:
        for type_contenu in ("text/plain", "multipart/form-data; boundary=x"):
            r = await claire.post(
                "/api/v1/parcours", content=b"nom=%00", headers={"Content-Type": type_contenu}
            )
            assert r.status_code == 415, r.text
            assert r.json()["message"].startswith("Type de contenu non pris en charge")

        async def flux() -> AsyncIterator[bytes]:  # chunked: no Content-Length announced
            yield b'{"usager": {"nom": "'
            for _ in range(20):
                yield b"x" * 100_000
            yield b'"}}'

        r = await claire.post(
            "/api/v1/parcours", content=flux(), headers={"Content-Type": "application/x+json"}
        )
        assert r.status_code == 413, r.text


async def test_corps_anonyme_refuse_sans_etre_lu(tmp_path: Path) -> None:
    """At the ASGI level, to see what the application reads of the request."""
    settings = Settings(DATA_DIR=tmp_path, DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/l.db")
    jetons = await base_avec_comptes(settings.effective_database_url, "test")
    engine = make_engine(settings.effective_database_url)
    app = create_app(settings)
    app.state.services = Services(settings, engine, session_factory(engine))
    lus: list[Message] = []
    envoyes: list[Message] = []

    async def recevoir() -> Message:
        lus.append({"type": "http.request", "body": b"{}", "more_body": False})
        return lus[-1]

    async def envoyer(message: Message) -> None:
        envoyes.append(message)

    async def demander(chemin: str, **entetes: str) -> int:
        lus.clear()
        envoyes.clear()
        en_tetes = [(b"content-type", b"application/json")]
        en_tetes += [(k.encode(), v.encode()) for k, v in entetes.items()]
        scope: dict[str, Any] = {
            "type": "http",
            "method": "POST",
            "path": chemin,
            "raw_path": chemin.encode(),
            "query_string": b"",
            "headers": en_tetes,
            "scheme": "http",
            "server": ("test", 80),
            "client": ("127.0.0.1", 1),
            "http_version": "1.1",
            "root_path": "",
        }
        await app(scope, recevoir, envoyer)
        return int(envoyes[0]["status"])

    try:
        assert await demander("/api/v1/parcours") == 401
        assert lus == []  # not a byte read
        assert await demander("/parcours/nouveau") == 303  # a page: to the login form
        assert lus == []
        assert await demander("/api/v1/parcours", authorization="Bearer pcr_faux") == 401
        assert lus == []
        # Signed in: read, and on to the route (here without Temporal: 503).
        jeton = jetons[CLAIRE]
        assert await demander("/api/v1/parcours", authorization=f"Bearer {jeton}") != 401
        assert lus != []
    finally:
        await engine.dispose()


def test_types_lus_comme_fastapi_et_starlette_les_lisent() -> None:
    assert genre_du_corps("APPLICATION/X-WWW-FORM-URLENCODED; charset=latin-1") == "formulaire"
    assert genre_du_corps("application/cloudevents+json") == "json"
    assert genre_du_corps("multipart/form-data; boundary=x") is None
