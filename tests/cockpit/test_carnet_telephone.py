"""Issue 22, item 8: the carnet gives the person a way to reach their référent. The référent's
own account carries no telephone, so the line is their structure's, named, next to their
professional address; a structure without telephone gives the address alone (the browser test
``test_carnet_contact`` covers that case with a demo référent)."""

from __future__ import annotations

import html
import uuid

import httpx

from tests.administration.outils import activer, connexion, lien_recu, un_siret
from tests.cockpit.conftest import ouvrir, stable
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur

TELEPHONE = "04 50 33 44 55"


async def test_le_carnet_donne_le_telephone_de_la_structure_du_referent(
    plateforme: Plateforme, simulateur: Simulateur
) -> None:
    suffixe = uuid.uuid4().hex[:6]
    nom_structure = f"CCAS de Seynod {suffixe}"
    email = f"rachid.{suffixe}@ccas-seynod.fr"
    async with plateforme.client("admin") as admin:
        structure = await admin.post(
            "/api/v1/structures",
            json={
                "nom": nom_structure,
                "type": "ccas",
                "siret": un_siret(),
                "territoires": ["bassin_annecien"],
                "contact_telephone": TELEPHONE,
            },
        )
        assert structure.status_code == 201, structure.text
        compte = await admin.post(
            "/api/v1/comptes",
            json={
                "email": email,
                "nom": "Rachid Benali",
                "role": "referent",
                "structure_id": structure.json()["id"],
            },
        )
        assert compte.status_code == 201, compte.text
    async with httpx.AsyncClient(timeout=60, base_url=plateforme.base_url) as anonyme:
        await activer(anonyme, await lien_recu(simulateur, email))

    async with connexion(plateforme.base_url, email) as referent:
        pid = await ouvrir(referent)
        await stable(referent, pid)
        carnet = await referent.get(f"/parcours/{pid}/carnet")
    assert carnet.status_code == 200, carnet.text
    texte = html.unescape(carnet.text)
    assert "Votre référent s'appelle Rachid Benali." in texte
    assert f"Par courriel : {email}" in texte
    assert f"Par téléphone : {TELEPHONE} ({nom_structure})" in texte
