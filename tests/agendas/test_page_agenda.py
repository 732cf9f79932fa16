"""« Mon agenda » in the cockpit (issue 18): the référent sees the appointments to come in
their agenda, with the person's name linking to the parcours, and their opening slots;
another référent's agenda does not show them, and a coordinator has no agenda."""

from __future__ import annotations

from datetime import date, timedelta

from tests.agendas.test_convocation import _personne_de_thomas
from tests.agendas.test_rdv_modifie import THOMAS, _agenda_de_thomas
from tests.fixtures.plateforme import Plateforme

AMELIE = "ref-amelie-rousseau"  # same territory, her own (empty) agenda
COORD = "coord-genevois_francais"


async def test_le_referent_voit_ses_rendez_vous_a_venir(plateforme: Plateforme) -> None:
    async with plateforme.client(THOMAS) as thomas:
        await _agenda_de_thomas(thomas)
        pid, _, _ = await _personne_de_thomas(thomas)
        nom = (await thomas.get(f"/api/v1/parcours/{pid}")).json()["etat"]["usager"]["nom"]
        du = date.today() + timedelta(days=2)
        libres = await thomas.get(
            "/api/v1/agenda/creneaux",
            params={
                "motif": "accompagnement",
                "du": du.isoformat(),
                "au": (du + timedelta(days=10)).isoformat(),
            },
        )
        creneau = libres.json()[-1]
        demande = {"parcours_id": pid, "motif": "accompagnement"} | {
            k: creneau[k] for k in ("plage_id", "debut")
        }
        r = await thomas.post("/api/v1/agenda/convocations", json=demande)
        assert r.status_code == 200, r.text

        page = await thomas.get("/agenda")
        assert page.status_code == 200, page.text
        assert "Mon agenda" in page.text
        assert f'href="/parcours/{pid}">Julie {nom}</a>' in page.text
        assert "Rendez-vous d&#39;accompagnement" in page.text
        assert (
            "Le lundi, de 16\u00a0h\u00a000 à 17\u00a0h\u00a000, par téléphone : Rendez-vous d&#39;accompagnement"
            in page.text
        )

    async with plateforme.client(AMELIE) as amelie:
        autre = await amelie.get("/agenda")
        assert autre.status_code == 200
        assert nom not in autre.text
        assert "Aucune plage ouverte" in autre.text
    async with plateforme.client(COORD) as coord:
        assert (await coord.get("/agenda")).status_code == 403
