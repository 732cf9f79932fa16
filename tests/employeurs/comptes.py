"""Chargés de relation entreprise for the tests: created by the administration through the
API, as a real one would be, with an API token."""

from __future__ import annotations

import secrets

from store.comptes import Compte
from store.db import make_engine, session_factory
from tests.fixtures.plateforme import Plateforme
from web.securite.sessions import creer_jeton


async def charge_entreprise(plateforme: Plateforme, territoire: str) -> str:
    """A new account of that territory; its token is added to ``plateforme.jetons``."""
    async with plateforme.client("admin") as admin:
        r = await admin.post(
            "/api/v1/comptes",
            json={
                "email": f"cre.{territoire}.{secrets.token_hex(3)}@spie74.fr",
                "nom": f"Chargée entreprises {territoire}",
                "role": "charge_entreprise",
                "territoire": territoire,
            },
        )
        assert r.status_code == 201, r.text
        compte_id = str(r.json()["id"])
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            compte = await session.get(Compte, compte_id)
            assert compte is not None
            plateforme.jetons[compte_id] = await creer_jeton(session, compte, "tests employeurs")
    finally:
        await engine.dispose()
    return compte_id
