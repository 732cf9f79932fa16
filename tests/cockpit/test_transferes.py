"""« Mes parcours » says which parcours were handed to another référent, and hides them on
demand (issue 22, item 4)."""

from __future__ import annotations

import re

import httpx

from tests.cockpit.conftest import commande, ouvrir, stable
from tests.cockpit.html import textes


async def test_mes_parcours_montre_et_masque_les_transferes(claire: httpx.AsyncClient) -> None:
    pid = await ouvrir(claire)
    transfert = {"nouveau_referent_id": "ref-sophie-girard", "motif": "Départ en congé long"}
    await commande(claire, pid, "transferer_referent", transfert)
    await stable(claire, pid)
    reference = (await claire.get(f"/api/v1/parcours/{pid}")).json()["reference"]

    tous = await claire.get("/", params={"q": reference})
    assert tous.status_code == 200
    ligne = re.search(
        rf'<tr>\s*<td><a class="fr-link" href="/parcours/{pid}".*?</tr>', tous.text, re.S
    )
    assert ligne, "le parcours transféré reste lisible dans « Mes parcours »"
    assert "transféré à Sophie Girard" in textes(ligne.group(0))

    masques = await claire.get("/", params={"q": reference, "transferes": "masquer"})
    assert masques.status_code == 200
    assert f"/parcours/{pid}" not in masques.text
    assert 'id="transferes" name="transferes" value="masquer" checked' in masques.text
