"""``/docs`` works in a real browser under the application's Content-Security-Policy, with
Swagger UI served by the application itself: no CDN, no inline script, no violation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from tests.securite.cockpit_seul import cockpit_seul

pytestmark = pytest.mark.browser


def operations_de_l_openapi(schema: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (methode, chemin)
        for chemin, operations in schema["paths"].items()
        for methode in operations
        if methode in METHODES
    }


def sous_etiquettes(schema: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The operations as Swagger UI lists them: one under each of its tags."""
    return [
        (etiquette, methode, chemin)
        for chemin, par_methode in schema["paths"].items()
        for methode, operation in par_methode.items()
        if methode in METHODES
        for etiquette in operation.get("tags", ["default"])
    ]


METHODES = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest_asyncio.fixture
async def cockpit(tmp_path: Path, base_lecture: str) -> AsyncIterator[str]:
    async with cockpit_seul(tmp_path, base_lecture) as base:
        yield base


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
        # Every operation of the API, drawn by Swagger UI from /openapi.json, without scrolling:
        # above 150 rows Swagger UI would draw only those in view (six of them), out of reach of
        # find-in-page, screen readers and the keyboard.
        schema = await (await page.request.get(f"{cockpit}/openapi.json")).json()
        listees = sous_etiquettes(schema)
        await page.locator(".opblock").first.wait_for(timeout=30_000)
        # Enough rows (tags and operations) for Swagger UI to virtualise them.
        assert len({e for e, _, _ in listees}) + len(listees) >= 150
        dessinees = await page.locator(".opblock").evaluate_all(
            """blocs => blocs.map(b => [
                b.querySelector('.opblock-summary-method').textContent.toLowerCase(),
                b.querySelector('.opblock-summary-path').dataset.path])"""
        )
        assert len(dessinees) == len(listees)  # one per operation and per tag, as in the schema
        assert {tuple(d) for d in dessinees} == operations_de_l_openapi(schema)
        # Drawn by Swagger UI's own components: an operation still opens, ready to be tried.
        ouvrir = page.locator("#operations-Parcours-ouvrir")
        await ouvrir.locator(".opblock-summary-control").click()
        await ouvrir.locator(".try-out__btn").wait_for()
        assert "Parcours — API" in await page.locator(".info .title").inner_text()
    finally:
        await ctx.close()
    assert not violations, violations
    assert not ailleurs, ailleurs
