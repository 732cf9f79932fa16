"""Social clauses in the cockpit: the territory's chargé de relation entreprise records a
contract (a refusal is said under its field, the form as typed, nothing added; another
territory's chargé and a référent may not); the list shows it with its report; the chargé
places a person of the pool who consented (a start outside the contract, or twice, refused on
the page), enters her hours (« 49,5 »), and the page's report is the API's; her référent sees
her, another référent neither sees nor changes her."""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta

from tests.administration.outils import un_siret
from tests.employeurs.comptes import charge_entreprise
from tests.employeurs.test_evenements_api import _ouvrir
from tests.employeurs.test_pages_cockpit import lu
from tests.employeurs.test_vivier_api import CLAIRE, FICHE, MARC
from tests.fixtures.plateforme import Plateforme


async def test_un_marche_une_personne_placee_ses_heures_et_le_bilan(
    plateforme: Plateforme,
) -> None:
    cre_id = await charge_entreprise(plateforme, "bassin_annecien")
    chablais_id = await charge_entreprise(plateforme, "chablais")
    intitule = "Voirie de Novel " + secrets.token_hex(3).upper()
    siret = un_siret()
    marche = {
        "intitule": intitule,
        "acheteur": "Grand Annecy",
        "siret": siret,
        "code_postal": "74000",
        "commune": "Annecy",
        "heures_exigees": "200",
        "debut": (date.today() - timedelta(days=30)).isoformat(),
        "fin": (date.today() - timedelta(days=31)).isoformat(),
    }
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
