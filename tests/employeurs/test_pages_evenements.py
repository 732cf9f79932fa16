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


def _jour(decalage: int) -> dict[str, str]:
    return {
        "nature": "job_dating",
        "titre": "Job dating " + secrets.token_hex(3).upper(),
        "le": (date.today() + timedelta(days=decalage)).isoformat(),
        "code_postal": "74000",
        "commune": "Annecy",
    }


async def test_presence_et_suite_de_tous_d_un_seul_formulaire(plateforme: Plateforme) -> None:
    """Before the day, the page says when and a submission is refused (409, in French, nothing
    noted); after, one form notes everyone the référent invited; a row in error refuses the
    whole form (nothing noted); the page then shows the report, as the API the values."""
    cre_id = await charge_entreprise(plateforme, "bassin_annecien")
    async with (
        plateforme.client(cre_id) as cre,
        plateforme.client(CLAIRE) as claire,
        plateforme.client(MARC) as marc,
    ):
        ids = {}
        for nom, decalage in (("demain", 1), ("hier", -1)):
            r = await cre.post("/api/v1/evenements-employeurs", json=_jour(decalage))
            assert r.status_code == 201, r.text
            ids[nom] = r.json()["id"]
        personnes = [await _ouvrir(plateforme, claire, p) for p in ("Venue", "Absente")]
        invitations: dict[str, list[str]] = {}
        for nom, ev in ids.items():
            for pid in personnes:
                url = f"/api/v1/evenements-employeurs/{ev}/invitations"
                r = await claire.post(url, json={"parcours_id": pid})
                assert r.status_code == 201, r.text
                invitations.setdefault(nom, []).append(r.json()["id"])

        demain, (a, b) = f"/evenements-employeurs/{ids['demain']}", invitations["demain"]
        assert "une fois l'événement passé" in lu(await claire.get(demain))
        r = await claire.post(f"{demain}/presences", data={f"presence-{a}": "presente"})
        assert r.status_code == 409
        assert "L'événement n'a pas encore eu lieu : la présence se note ensuite" in lu(r)
        vu = (await claire.get(f"/api/v1{demain}")).json()
        assert [i["presence"] for i in vu["invites"]] == [None, None]

        hier, (a, b) = f"/evenements-employeurs/{ids['hier']}", invitations["hier"]
        page = await claire.get(hier)
        assert 'id="form-presences"' in page.text
        assert f'id="presence-{a}"' in page.text
        assert f'id="suite-{b}"' in page.text
        assert 'id="form-presences"' not in (await cre.get(hier)).text  # the référent's
        notes = {f"presence-{a}": "presente", f"suite-{a}": "entretien"}
        assert (await marc.post(f"{hier}/presences", data=notes)).status_code == 404
        assert (await cre.post(f"{hier}/presences", data=notes)).status_code == 404
        r = await claire.post(
            f"{hier}/presences", data=notes | {f"presence-{b}": "", f"suite-{b}": "formation"}
        )
        assert r.status_code == 422  # an outcome without presence
        assert f'id="presence-{b}-erreur"' in r.text
        vu = (await claire.get(f"/api/v1{hier}")).json()
        assert [i["presence"] for i in vu["invites"]] == [None, None]  # not even the right row

        r = await claire.post(f"{hier}/presences", data=notes | {f"presence-{b}": "absente"})
        assert r.status_code == 303
        vu = (await claire.get(f"/api/v1{hier}")).json()
        assert {(i["id"], i["presence"], i["suite"]) for i in vu["invites"]} == {
            (a, "presente", "entretien"),
            (b, "absente", None),
        }
        assert vu["bilan"]["presences"] == {"presente": 1, "absente": 1, "excusee": 0}
        for lecteur in (claire, cre, marc):  # the report names nobody: everyone reads it
            bilan = lu(await lecteur.get(hier))
            assert "Présente : 1" in bilan
            assert "Absente : 1" in bilan
            assert "Entretien avec un employeur : 1" in bilan
