"""Every refusal of the JSON API is a problem detail (RFC 9457) in French, with the house
members `code` and `erreurs` beside it; cockpit pages keep their HTML error page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest_asyncio
from fastapi import FastAPI

from core.settings import Settings
from web.app import create_app

CHAMPS_RFC = {"type", "title", "status", "detail", "instance"}


@pytest_asyncio.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app: FastAPI = create_app(Settings(DATA_DIR=tmp_path))

    @app.get("/api/v1/essai-panne", include_in_schema=False)
    async def panne() -> None:
        raise RuntimeError("secret interne: Traceback du code")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(timeout=60, transport=transport, base_url="http://test") as c:
        yield c


def _probleme(reponse: httpx.Response, status: int) -> dict[str, object]:
    assert reponse.status_code == status, reponse.text
    assert reponse.headers["content-type"] == "application/problem+json", reponse.headers
    corps: dict[str, object] = reponse.json()
    assert set(corps) >= CHAMPS_RFC, corps
    assert corps["status"] == status
    assert str(corps["type"]).startswith("urn:parcours:erreur:")
    return corps


async def test_erreur_interne_en_francais_sans_trace(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/essai-panne")
    corps = _probleme(r, 500)
    assert corps["code"] == "erreur_interne"
    assert corps["title"] == "Erreur interne"
    assert str(corps["detail"]).startswith("Erreur interne")
    assert "secret" not in r.text
    assert "Traceback" not in r.text
    assert corps["instance"] == "/api/v1/essai-panne"


async def test_adresse_inconnue_et_donnees_invalides(client: httpx.AsyncClient) -> None:
    corps = _probleme(await client.get("/api/v1/nulle-part"), 404)
    assert corps["code"] == "http_404"
    assert corps["detail"] == "Adresse inconnue"
    assert corps["instance"] == "/api/v1/nulle-part"
    assert corps["erreurs"] == []

    corps = _probleme(await client.get("/api/v1/nulle-part?q=a%00b"), 422)
    assert corps["code"] == "donnees_invalides"
    assert corps["erreurs"] == [{"champ": "q", "message": corps["erreurs"][0]["message"]}]  # type: ignore[index]

    corps = _probleme(await client.post("/api/v1/parcours", json={}), 401)
    assert corps["code"] == "non_authentifie"
    assert corps["instance"] == "/api/v1/parcours"


async def test_les_pages_gardent_leur_html(client: httpx.AsyncClient) -> None:
    r = await client.get("/page-qui-n-existe-pas")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "Adresse inconnue" in r.text
    # a person following a wrong link: neither « parcours » nor a list that is not theirs
    assert "<h1>Page introuvable</h1>" in r.text
    assert "Retour à la liste des parcours" not in r.text


async def test_corps_trop_gros_annonce(client: httpx.AsyncClient) -> None:
    """Refused on its announced size, unread: a problem detail like any other refusal, with
    the security headers of any answer; a page's form gets the French error page."""
    trop = b"x" * (1024 * 1024 + 1)
    r = await client.post(
        "/api/v1/parcours", content=trop, headers={"content-type": "application/json"}
    )
    corps = _probleme(r, 413)
    assert corps["code"] == "trop_volumineux"
    assert corps["detail"] == "Requête trop volumineuse (1 Mo au plus)"
    assert corps["instance"] == "/api/v1/parcours"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["cache-control"] == "no-store"

    page = await client.post(
        "/connexion", content=trop, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert page.status_code == 413
    assert page.headers["content-type"].startswith("text/html")
    assert "Requête trop volumineuse (1 Mo au plus)" in page.text
    assert "content-security-policy" in page.headers


async def test_mauvaise_methode_dit_la_bonne(client: httpx.AsyncClient) -> None:
    """A wrong method is a problem detail whose « Allow » names the method to use."""
    r = await client.get("/api/v1/parcours/p1/reprendre-parcours")
    corps = _probleme(r, 405)
    assert corps["code"] == "http_405"
    assert r.headers["allow"] == "POST"
    r = await client.get("/codec/decode")
    _probleme(r, 405)
    assert r.headers["allow"] == "POST"


async def test_points_des_machines_en_json(client: httpx.AsyncClient) -> None:
    """Probes send no « Accept »: their refusals are problem details too. (/metrics without
    its token answers exactly like an unknown page: tests/supervision/test_metriques.py.)"""
    for chemin in ("/livez/x", "/readyz/x"):
        r = await client.get(chemin)
        assert r.headers["content-type"] == "application/problem+json", (chemin, r.text[:80])
