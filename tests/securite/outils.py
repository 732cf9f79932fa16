"""A browser-like session: logged in through the login form, with its cookie and CSRF token."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from devstack.demo.comptes import MOT_DE_PASSE_DEMO


@asynccontextmanager
async def connecte(base_url: str, email: str) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        page = await client.get("/connexion")
        jeton = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert jeton is not None
        reponse = await client.post(
            "/connexion",
            data={
                "email": email,
                "mot_de_passe": MOT_DE_PASSE_DEMO,
                "csrf_token": jeton.group(1),
                "suite": "/",
            },
        )
        assert reponse.status_code == 303, reponse.text
        csrf = re.search(r'"X-CSRF-Token": "([^"]+)"', (await client.get("/")).text)
        assert csrf is not None
        yield client, csrf.group(1)
