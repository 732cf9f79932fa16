"""``/docs`` works in a real browser under the application's Content-Security-Policy, with
Swagger UI served by the application itself: no CDN, no inline script, no violation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from tests.securite.cockpit_seul import cockpit_seul

pytestmark = pytest.mark.browser


@pytest_asyncio.fixture
async def cockpit(tmp_path: Path, base_lecture: str) -> AsyncIterator[str]:
    async with cockpit_seul(tmp_path, base_lecture) as base:
        yield base


@pytest.mark.xfail(
    reason="Swagger UI ne dessine plus que les 6 premières opérations depuis la fusion de "
    "l'équipe de suivi avec les documents (aucune erreur en console) : régression notée au "
    "ticket 22, cause non trouvée",
    strict=False,
)
async def test_la_documentation_de_l_api_s_affiche_sous_la_csp(
    chromium: Browser, cockpit: str
) -> None:
    ctx = await chromium.new_context()
    page = await ctx.new_page()
    violations: list[str] = []
    ailleurs: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: violations.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(cockpit) else ailleurs.append(r.url))
    try:
        reponse = await page.goto(f"{cockpit}/docs")
        assert reponse is not None
        assert "script-src 'self';" in reponse.headers["content-security-policy"]
        # The operations of the API, drawn by Swagger UI from /openapi.json.
        await page.locator(".opblock").first.wait_for(timeout=30_000)
        assert await page.locator(".opblock").count() > 20
        assert "Parcours — API" in await page.locator(".info .title").inner_text()
    finally:
        await ctx.close()
    assert not violations, violations
    assert not ailleurs, ailleurs
