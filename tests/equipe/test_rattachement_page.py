"""The « Se rattacher » page: a wrong input is refused beside its field, in French, and a
request answers the same sentence whether someone was found or not."""

from __future__ import annotations

import secrets

from tests.fixtures.plateforme import Plateforme


async def test_la_page_se_rattacher(plateforme: Plateforme) -> None:
    async with plateforme.client("ref-lea-dubois") as lea:
        page = await lea.get("/rattachement")
        assert page.status_code == 200
        assert "Se rattacher à un parcours" in page.text

        incomplete = await lea.post("/rattachement", data={"nom": "Dupont", "role": "tuteur"})
        assert incomplete.status_code == 422
        assert 'id="erreur-prenom"' in incomplete.text
        assert "Donnez le nom, le prénom et la date de naissance ensemble" in incomplete.text
        assert 'value="Dupont"' in incomplete.text  # what was typed stays

        inconnue = {
            "nom": "Personne" + secrets.token_hex(3),
            "prenom": "Eve",
            "date_naissance": "1990-01-01",
            "role": "tuteur",
        }
        envoi = await lea.post("/rattachement", data=inconnue)
        assert envoi.status_code == 200
        assert "Si un parcours ouvert correspond exactement" in envoi.text
