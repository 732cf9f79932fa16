"""Each person creates, names, expires and revokes their own API tokens in the cockpit; the
secret is shown once and works at once; a revoked token no longer opens anything."""

from __future__ import annotations

import re

import httpx
from sqlmodel import select

from store.comptes import JetonApi
from store.db import make_engine, session_factory
from tests.cockpit.conftest import CLAIRE
from tests.cockpit.html import element
from tests.fixtures.plateforme import Plateforme
from tests.securite.outils import connecte


async def _empreintes(plateforme: Plateforme, nom: str) -> list[str]:
    engine = make_engine(plateforme.settings.effective_database_url)
    async with session_factory(engine)() as session:
        rows = (await session.exec(select(JetonApi).where(JetonApi.nom == nom))).all()
    await engine.dispose()
    return [r.empreinte for r in rows]


async def test_creer_utiliser_revoquer_son_jeton(plateforme: Plateforme) -> None:
    async with connecte(plateforme.base_url, "claire.martin@hautesavoie.fr") as (client, csrf):
        page = await client.get("/compte/jetons")
        assert page.status_code == 200, page.text
        refus = await client.post(
            "/compte/jetons", data={"nom": "x", "duree_jours": "90", "csrf_token": csrf}
        )
        assert refus.status_code == 422
        assert "3 à 80 caractères" in element(refus.text, "champ-nom-erreur")

        cree = await client.post(
            "/compte/jetons",
            data={"nom": "Tableau de bord", "duree_jours": "30", "csrf_token": csrf},
        )
        assert cree.status_code == 201, cree.text
        secret = re.sub(r"<[^>]+>", "", element(cree.text, "secret-jeton"))
        assert secret.startswith("pcr_")
        assert "Tableau de bord" in element(cree.text, "mes-jetons")

        liste = await client.get("/compte/jetons")
        assert secret not in liste.text  # shown once
        (empreinte,) = await _empreintes(plateforme, "Tableau de bord")
        assert secret not in empreinte  # only its hash is stored

        entetes = {"Authorization": f"Bearer {secret}"}
        async with httpx.AsyncClient(
            timeout=60, base_url=plateforme.base_url, headers=entetes
        ) as outil:
            moi = await outil.get("/api/v1/moi")
            assert moi.json()["id"] == CLAIRE
            # a token cannot mint tokens
            assert (await outil.get("/compte/jetons")).status_code == 403

            revoque = await client.post(
                "/compte/jetons/revoquer", data={"empreinte": empreinte, "csrf_token": csrf}
            )
            assert revoque.status_code == 200, revoque.text
            assert "révoqué" in revoque.text
            assert (await outil.get("/api/v1/moi")).status_code == 401


async def test_le_jeton_d_un_autre_est_introuvable(plateforme: Plateforme) -> None:
    async with connecte(plateforme.base_url, "claire.martin@hautesavoie.fr") as (client, csrf):
        cree = await client.post(
            "/compte/jetons",
            data={"nom": "Script de Claire", "duree_jours": "90", "csrf_token": csrf},
        )
        assert cree.status_code == 201
    (empreinte,) = await _empreintes(plateforme, "Script de Claire")
    async with connecte(plateforme.base_url, "marc.roux@capemploi74.fr") as (client, csrf):
        r = await client.post(
            "/compte/jetons/revoquer", data={"empreinte": empreinte, "csrf_token": csrf}
        )
        assert r.status_code == 404
