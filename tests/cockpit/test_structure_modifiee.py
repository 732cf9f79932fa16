"""The administration changes a structure from the cockpit (issue 16): its form shows what
the structure is, a refusal names the field and changes nothing, a change is audited with
what it was and what it became."""

from __future__ import annotations

import json
import secrets

from tests.administration.outils import un_siret
from tests.fixtures.plateforme import Plateforme


async def test_modifier_une_structure_depuis_le_cockpit(plateforme: Plateforme) -> None:
    nom = f"CCAS de Cluses {secrets.token_hex(3)}"
    siret = un_siret()
    async with plateforme.client("admin") as admin, plateforme.client("ref-claire-martin") as ref:
        r = await admin.post(
            "/api/v1/structures",
            json={"nom": nom, "type": "ccas", "siret": siret, "territoires": ["vallee_arve"]},
        )
        assert r.status_code == 201, r.text
        sid = r.json()["id"]
        formulaire = f"/administration/structures/{sid}/modifier"

        page = await admin.get("/administration")
        assert f'href="{formulaire}"' in page.text
        page = await admin.get(formulaire)
        assert page.status_code == 200, page.text
        assert f'value="{nom}"' in page.text
        assert f'value="{siret}"' in page.text
        assert 'value="vallee_arve" checked' in page.text

        valide = {
            "nom": f"{nom} (CCAS)",
            "type": "ccas",
            "siret": siret,
            "territoires": ["vallee_arve", "chablais"],
            "contact_nom": "Nadia Accueil",
            "contact_email": "accueil@ccas-cluses.fr",
            "contact_telephone": "04 50 98 00 00",
        }
        for faux, champ, message in (
            ({"siret": "12345678901235"}, "siret", "SIRET invalide"),
            ({"territoires": []}, "territoires", ""),
            ({"contact_email": "accueil@"}, "contact_email", ""),
            ({"type": "boulangerie"}, "type", ""),
        ):
            refus = await admin.post(formulaire, data=valide | faux)
            assert refus.status_code == 422, (faux, refus.text[:300])
            assert f"<li>{champ} : {message}" in refus.text, (faux, refus.text[-3000:])
            assert f'value="{nom} (CCAS)"' in refus.text  # what was typed, shown again
        assert (await admin.get(f"/api/v1/structures/{sid}")).json()["nom"] == nom  # unchanged

        assert (await ref.get(formulaire)).status_code == 403
        assert (await ref.post(formulaire, data=valide)).status_code == 403

        fait = await admin.post(formulaire, data=valide)
        assert fait.status_code == 303, fait.text
        vue = (await admin.get(f"/api/v1/structures/{sid}")).json()
        assert (vue["nom"], vue["territoires"]) == (valide["nom"], ["vallee_arve", "chablais"])
        assert (vue["contact_email"], vue["contact_telephone"]) == (
            "accueil@ccas-cluses.fr",
            "04 50 98 00 00",
        )
        audit = await admin.get(
            "/api/v1/audit", params={"objet": f"structure:{sid}", "action": "structure_modifiee"}
        )
        assert audit.status_code == 200, audit.text
        entrees = audit.json()["items"]
        assert len(entrees) == 1, entrees
        assert entrees[0]["compte_id"] == "admin"
        detail = json.loads(entrees[0]["detail"])
        assert detail["avant"]["nom"] == nom
        assert detail["apres"]["nom"] == valide["nom"]
        assert detail["apres"]["territoires"] == "vallee_arve,chablais"
