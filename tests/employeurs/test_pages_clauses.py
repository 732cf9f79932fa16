"""Social clauses in the cockpit: the territory's chargé de relation entreprise records a
contract (a refusal is said under its field, the form as typed, nothing added; another
territory's chargé and a référent may not); the list shows it with its report; the chargé
places a person of the pool who consented (a start outside the contract, or twice, refused on
the page), enters her hours (« 49,5 »), and the page's report is the API's; her référent sees
her, another référent neither sees nor changes her. The contract changed from its page (a
period that leaves out a person placed refused under its field, nothing changed; another
territory's chargé may not; the report follows; the audit says what moved); a référent places
a person she accompanies who is not in the pool; a placement whose hours are declared is not
taken away (said on the page), taken away once they are set back to 0."""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta

from tests.administration.outils import un_siret
from tests.employeurs.comptes import charge_entreprise
from tests.employeurs.test_evenements_api import _audit, _ouvrir
from tests.employeurs.test_pages_cockpit import lu
from tests.employeurs.test_vivier_api import CLAIRE, FICHE, MARC
from tests.fixtures.plateforme import Plateforme


def _marche(intitule: str, siret: str, fin: date) -> dict[str, str]:
    """A contract of the Bassin annécien, 200 h, started 30 days ago, as its form sends it."""
    return {
        "intitule": intitule,
        "acheteur": "Grand Annecy",
        "siret": siret,
        "code_postal": "74000",
        "commune": "Annecy",
        "heures_exigees": "200",
        "debut": (date.today() - timedelta(days=30)).isoformat(),
        "fin": fin.isoformat(),
    }


async def test_un_marche_une_personne_placee_ses_heures_et_le_bilan(
    plateforme: Plateforme,
) -> None:
    cre_id = await charge_entreprise(plateforme, "bassin_annecien")
    chablais_id = await charge_entreprise(plateforme, "chablais")
    intitule = "Voirie de Novel " + secrets.token_hex(3).upper()
    siret = un_siret()
    marche = _marche(intitule, siret, fin=date.today() - timedelta(days=31))
    async with (
        plateforme.client(cre_id) as cre,
        plateforme.client(chablais_id) as chablais,
        plateforme.client(CLAIRE) as claire,
        plateforme.client(MARC) as marc,
    ):
        entreprise = {"siret": siret, "nom": "Routes du lac", "code_postal": "74000"}
        r = await cre.post("/api/v1/entreprises", json=entreprise | {"commune": "Annecy"})
        assert r.status_code == 201, r.text
        assert (await claire.get("/clauses-sociales/nouveau")).status_code == 403
        assert (await claire.post("/clauses-sociales", data=marche)).status_code == 403

        r = await cre.post("/clauses-sociales", data=marche)  # ends before it starts
        assert r.status_code == 422
        assert 'id="fin-erreur"' in r.text
        assert "La fin du marché précède son début" in lu(r)
        assert f'value="{intitule}"' in r.text  # the form as typed
        r = await cre.post("/clauses-sociales", data=marche | {"heures_exigees": "0"})
        assert r.status_code == 422
        assert 'id="heures_exigees-erreur"' in r.text
        assert intitule not in (await cre.get("/clauses-sociales")).text  # nothing added

        marche["fin"] = (date.today() + timedelta(days=300)).isoformat()
        assert (await chablais.post("/clauses-sociales", data=marche)).status_code == 403
        r = await cre.post("/clauses-sociales", data=marche)
        assert r.status_code == 303
        page = r.headers["location"]
        clause_id = page.rsplit("/", 1)[1]
        liste = await cre.get("/clauses-sociales")
        assert intitule in liste.text
        assert "0 h / 200 h" in lu(liste)
        assert intitule not in (await chablais.get("/clauses-sociales")).text  # their bassin
        tous = await chablais.get("/clauses-sociales", params={"bassin": ""})
        assert intitule in tous.text
        assert intitule in (await claire.get("/clauses-sociales")).text

        pid = await _ouvrir(plateforme, claire, "Placee")
        r = await claire.put(f"/api/v1/parcours/{pid}/vivier", json=FICHE)
        assert r.status_code == 200, r.text
        assert re.search(rf'<option value="{pid}"', (await cre.get(page)).text)
        avant = (date.today() - timedelta(days=60)).isoformat()
        r = await cre.post(f"{page}/placements", data={"parcours_id": pid, "debut": avant})
        assert r.status_code == 422
        assert 'id="debut-erreur"' in r.text
        assert f'id="placement-{pid}"' not in r.text
        debut = {"parcours_id": pid, "debut": date.today().isoformat()}
        assert (await marc.post(f"{page}/placements", data=debut)).status_code == 404
        r = await cre.post(f"{page}/placements", data=debut)
        assert r.status_code == 303
        deux = await cre.post(f"{page}/placements", data=debut)
        assert deux.status_code == 409
        assert "Personne déjà placée sur ce marché" in lu(deux)

        api = f"/api/v1/clauses-sociales/{clause_id}"
        (placement,) = (await cre.get(api)).json()["placements"]
        heures = f"{page}/placements/{placement['id']}"
        r = await cre.post(heures, data={"heures_realisees": "beaucoup"})
        assert r.status_code == 422
        assert f'id="heures-{placement["id"]}-erreur"' in r.text
        assert (await marc.post(heures, data={"heures_realisees": "10"})).status_code == 404
        r = await cre.post(heures, data={"heures_realisees": "49,5"})
        assert r.status_code == 303

        bilan = (await cre.get(api)).json()["bilan"]
        assert (bilan["heures_realisees"], bilan["part_realisee"]) == (49.5, 24.8)
        vu = await cre.get(page)
        assert re.search(r'id="bilan-realisees">49,5 h<', vu.text)
        assert re.search(r'id="bilan-restantes">150,5 h<', vu.text)
        assert re.search(r'id="bilan-part">24,8 %<', vu.text)
        assert re.search(r'id="bilan-personnes">1<', vu.text)
        assert f'id="placement-{pid}"' in vu.text
        assert f'id="placement-{pid}"' in (await claire.get(page)).text
        chez_marc = await marc.get(page)
        assert f'id="placement-{pid}"' not in chez_marc.text
        assert re.search(r'id="bilan-personnes">1<', chez_marc.text)  # counted, not named


async def test_modifier_le_marche_et_retirer_un_placement(plateforme: Plateforme) -> None:
    cre_id = await charge_entreprise(plateforme, "bassin_annecien")
    chablais_id = await charge_entreprise(plateforme, "chablais")
    siret = un_siret()
    intitule = "Piscine de Seynod " + secrets.token_hex(3).upper()
    marche = _marche(intitule, siret, fin=date.today() + timedelta(days=300))
    async with (
        plateforme.client(cre_id) as cre,
        plateforme.client(chablais_id) as chablais,
        plateforme.client(CLAIRE) as claire,
        plateforme.client(MARC) as marc,
    ):
        entreprise = {"siret": siret, "nom": "Bassins SA", "code_postal": "74000"}
        r = await cre.post("/api/v1/entreprises", json=entreprise | {"commune": "Annecy"})
        assert r.status_code == 201, r.text
        r = await cre.post("/api/v1/clauses-sociales", json=marche)
        assert r.status_code == 201, r.text
        clause_id = r.json()["id"]
        page, api = f"/clauses-sociales/{clause_id}", f"/api/v1/clauses-sociales/{clause_id}"

        # Claire places a person she accompanies, who is not in the pool
        pid = await _ouvrir(plateforme, claire, "Horsvivier")
        assert re.search(rf'<option value="{pid}"', (await claire.get(page)).text)
        debut = (date.today() - timedelta(days=1)).isoformat()
        r = await claire.post(f"{page}/placements", data={"parcours_id": pid, "debut": debut})
        assert r.status_code == 303, r.text

        formulaire = await cre.get(f"{page}/modifier")
        assert f'value="{intitule}"' in formulaire.text
        assert 'value="200"' in formulaire.text
        assert (await chablais.get(f"{page}/modifier")).status_code == 403
        plus = marche | {"heures_exigees": "350"}
        assert (await chablais.post(f"{page}/modifier", data=plus)).status_code == 403
        assert (await claire.post(f"{page}/modifier", data=plus)).status_code == 403
        trop_tard = plus | {"debut": date.today().isoformat()}  # after the person started
        r = await cre.post(f"{page}/modifier", data=trop_tard)
        assert r.status_code == 422
        assert 'id="debut-erreur"' in r.text
        assert "Une personne est placée depuis le" in lu(r)
        assert 'value="350"' in r.text  # the form as typed
        r = await cre.put(api, json=marche | {"debut": date.today().isoformat()})
        assert (r.status_code, r.json()["erreurs"][0]["champ"]) == (422, "debut")
        assert (await cre.get(api)).json()["heures_exigees"] == 200  # nothing changed

        r = await cre.post(f"{page}/modifier", data=plus)
        assert (r.status_code, r.headers["location"]) == (303, page)
        vu = await cre.get(page)
        assert re.search(r'id="bilan-exigees">350 h<', vu.text)
        assert re.search(r'id="bilan-restantes">350 h<', vu.text)
        (entree,) = [
            e
            for e in await _audit(plateforme, cre_id, f"clause:{clause_id}")
            if e.detail.startswith("modification")
        ]
        assert entree.detail == "modification : heures_exigees 200 → 350"

        # her hours declared: the placement is not taken away, what to do is said
        (placement,) = (await cre.get(api)).json()["placements"]
        ligne = f"{page}/placements/{placement['id']}"
        assert (await claire.post(ligne, data={"heures_realisees": "12"})).status_code == 303
        assert (await marc.post(f"{ligne}/retrait")).status_code == 404
        r = await cre.post(f"{ligne}/retrait")
        assert r.status_code == 409
        assert "Des heures sont déclarées pour ce placement (12 h)" in lu(r)
        assert f'id="placement-{pid}"' in r.text
        assert re.search(r'id="bilan-realisees">12 h<', r.text)
        r = await cre.delete(f"{api}/placements/{placement['id']}")
        assert (r.status_code, r.json()["code"]) == (409, "heures_declarees")

        # set back to 0, then taken away by her référent: the report forgets her
        assert (await claire.post(ligne, data={"heures_realisees": "0"})).status_code == 303
        r = await claire.post(f"{ligne}/retrait")
        assert (r.status_code, r.headers["location"]) == (303, f"{page}#placements")
        vu = await cre.get(page)
        assert f'id="placement-{pid}"' not in vu.text
        assert re.search(r'id="bilan-personnes">0<', vu.text)
        assert (await cre.delete(f"{api}/placements/{placement['id']}")).status_code == 404
        retraits = await _audit(plateforme, CLAIRE, f"parcours:{pid}")
        assert f"retrait placement clause:{clause_id}" in [e.detail for e in retraits]
