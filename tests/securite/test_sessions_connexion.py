"""A session ends for good, server side, when its browser logs out (even without the form's
token) or logs in again: a copy of the old cookie is worth nothing afterwards."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest_asyncio

from tests.securite.cockpit_seul import cockpit_seul, essayer

CLAIRE = "claire.martin@hautesavoie.fr"


@pytest_asyncio.fixture
async def cockpit(tmp_path: Path, base_lecture: str) -> AsyncIterator[str]:
    async with cockpit_seul(tmp_path, base_lecture) as base:
        yield base


async def _vaut_encore(base: str, cookie: str) -> bool:
    """Whether a copy of a session cookie (a thief's, say) still opens the cockpit."""
    async with httpx.AsyncClient(
        timeout=60, base_url=base, cookies={"parcours_session": cookie}
    ) as copie:
        return (await copie.get("/", follow_redirects=False)).status_code == 200


async def test_une_deconnexion_sans_jeton_csrf_termine_quand_meme_la_session(cockpit: str) -> None:
    async with httpx.AsyncClient(timeout=60, base_url=cockpit) as navigateur:
        assert (await essayer(navigateur, CLAIRE)).status_code == 303
        cookie = navigateur.cookies["parcours_session"]
        assert await _vaut_encore(cockpit, cookie)
        sortie = await navigateur.post("/deconnexion", data={})
        assert sortie.status_code == 303
        assert sortie.headers["location"] == "/connexion"
    assert not await _vaut_encore(cockpit, cookie)


async def test_une_nouvelle_connexion_revoque_la_session_precedente_du_navigateur(
    cockpit: str,
) -> None:
    async with httpx.AsyncClient(timeout=60, base_url=cockpit) as navigateur:
        assert (await essayer(navigateur, CLAIRE)).status_code == 303
        premiere = navigateur.cookies["parcours_session"]
        assert (await essayer(navigateur, "sophie.girard@hautesavoie.fr")).status_code == 303
        seconde = navigateur.cookies["parcours_session"]
        assert seconde != premiere
        assert await _vaut_encore(cockpit, seconde)
    assert not await _vaut_encore(cockpit, premiere)
