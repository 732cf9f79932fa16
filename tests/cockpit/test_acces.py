"""Need-to-know on the cockpit: another référent's parcours does not exist for you (404, pages
and fragments alike); you see only the buttons of the commands you may give now."""

from __future__ import annotations

import re

import pytest

from tests.cockpit.conftest import ADMIN, CLAIRE, COORD, COORD_CHABLAIS, HTMX, KARIM
from tests.fixtures.plateforme import Plateforme
from workflows.transitions import TRANSITIONS

CHEMINS = (
    "/parcours/{pid}",
    "/parcours/{pid}/fragments/situation",
    "/parcours/{pid}/fragments/timeline",
    "/parcours/{pid}/carnet",
    "/parcours/{pid}/commandes/enregistrer_contact",
)


def _boutons(html: str) -> set[str]:
    return set(re.findall(r'data-commande="([a-z_]+)"', html))


@pytest.mark.parametrize("compte", [KARIM, COORD_CHABLAIS])
async def test_parcours_d_un_autre_introuvable(
    plateforme: Plateforme, accueilli: str, compte: str
) -> None:
    async with plateforme.client(compte) as autre:
        for chemin in CHEMINS:
            reponse = await autre.get(chemin.format(pid=accueilli), headers=HTMX)
            assert reponse.status_code == 404, chemin
            assert "introuvable" in reponse.text
        envoi = await autre.post(
            f"/parcours/{accueilli}/commandes/enregistrer_contact",
            data={"le": "2026-01-01", "mode": "telephone"},
            headers=HTMX,
        )
        assert envoi.status_code == 404


async def test_seulement_les_boutons_permis(plateforme: Plateforme, accueilli: str) -> None:
    async with plateforme.client(CLAIRE) as claire, plateforme.client(COORD) as coord:
        vue = (await claire.get(f"/api/v1/parcours/{accueilli}")).json()
        page = (await claire.get(f"/parcours/{accueilli}")).text
        permis = {c["nom"] for c in vue["commandes"]} - {"relancer_incident", "resoudre_incident"}
        assert _boutons(page) == permis
        assert "enregistrer_diagnostic" in permis
        assert "relancer_referent" not in _boutons(page)  # coordination only
        assert "rediger_contrat" not in _boutons(page)  # not at accueil

        page_coord = (await coord.get(f"/parcours/{accueilli}")).text
        assert "relancer_referent" in _boutons(page_coord)
        assert "enregistrer_diagnostic" not in _boutons(page_coord)  # the référent's own act
        assert set(_boutons(page_coord)) <= set(TRANSITIONS)
        refus = await coord.get(
            f"/parcours/{accueilli}/commandes/enregistrer_diagnostic", headers=HTMX
        )
        assert refus.status_code == 403  # not the coordinator's to give, as in the API
        assert "est réservé au référent du parcours" in refus.text


async def test_coordonnees_reservees_aux_referents(plateforme: Plateforme, accueilli: str) -> None:
    async with plateforme.client(COORD) as coord, plateforme.client(CLAIRE) as claire:
        assert "06 11 22 33 44" in (await claire.get(f"/parcours/{accueilli}")).text
        page = (await coord.get(f"/parcours/{accueilli}")).text
        assert "06 11 22 33 44" not in page
        assert "Réservées aux référents" in page


async def test_coordination_reservee(plateforme: Plateforme) -> None:
    async with plateforme.client(CLAIRE) as claire, plateforme.client(ADMIN) as admin:
        assert (await claire.get("/coordination")).status_code == 403
        assert (await claire.get("/coordination/fragments/carte", headers=HTMX)).status_code == 403
        assert (await admin.get("/coordination?territoire=chablais")).status_code == 200
    async with plateforme.client(COORD) as coord:
        ailleurs = await coord.get("/coordination?territoire=chablais")
        assert ailleurs.status_code == 403
