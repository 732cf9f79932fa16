"""Job datings in the cockpit: the territory's chargé de relation entreprise creates one (a
commune outside Haute-Savoie is said under its field, nothing added); a référent inscribes a
person of the pool they accompany (once: a second time is refused on the page); the chargé
sees her among the people inscribed, another référent does not; a référent may not create."""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta

from tests.employeurs.comptes import charge_entreprise
from tests.employeurs.test_evenements_api import _ouvrir
from tests.employeurs.test_pages_cockpit import lu
from tests.employeurs.test_vivier_api import CLAIRE, FICHE, MARC
from tests.fixtures.plateforme import Plateforme


async def test_creer_un_job_dating_et_inscrire_une_personne_du_vivier(
    plateforme: Plateforme,
) -> None:
    cre_id = await charge_entreprise(plateforme, "bassin_annecien")
    titre = "Job dating " + secrets.token_hex(3).upper()
    saisie = {
        "nature": "job_dating",
        "titre": titre,
        "le": (date.today() + timedelta(days=7)).isoformat(),
        "horaire": "9 h – 12 h",
        "code_postal": "69001",
        "commune": "Lyon",
    }
    async with (
        plateforme.client(cre_id) as cre,
        plateforme.client(CLAIRE) as claire,
        plateforme.client(MARC) as marc,
    ):
        assert (await claire.get("/evenements-employeurs/nouveau")).status_code == 403
        assert (await claire.post("/evenements-employeurs", data=saisie)).status_code == 403

        r = await cre.post("/evenements-employeurs", data=saisie)
        assert r.status_code == 422
        assert 'id="commune-erreur"' in r.text
        assert "Commune inconnue en Haute-Savoie" in lu(r)
        assert f'value="{titre}"' in r.text  # the form as typed
        assert titre not in (await cre.get("/evenements-employeurs")).text

        saisie |= {"code_postal": "74000", "commune": "Annecy"}
        r = await cre.post("/evenements-employeurs", data=saisie)
        assert r.status_code == 303
        page = r.headers["location"]
        assert titre in (await claire.get("/evenements-employeurs")).text

        pid = await _ouvrir(plateforme, claire, "Inscrite")
        r = await claire.put(f"/api/v1/parcours/{pid}/vivier", json=FICHE)
        assert r.status_code == 200, r.text
        fiche = await claire.get(page)
        assert 'id="form-inscrire"' in fiche.text
        assert re.search(rf'<option value="{pid}">', fiche.text)
        assert (
            await marc.post(f"{page}/invitations", data={"parcours_id": pid})
        ).status_code == 404
        r = await claire.post(f"{page}/invitations", data={"parcours_id": pid})
        assert r.status_code == 303
        deux = await claire.post(f"{page}/invitations", data={"parcours_id": pid})
        assert deux.status_code == 409
        assert "Personne déjà invitée à cet événement" in lu(deux)

        assert f'id="invite-{pid}"' in (await cre.get(page)).text
        assert f'id="invite-{pid}"' in (await claire.get(page)).text
        assert f'id="invite-{pid}"' not in (await marc.get(page)).text
