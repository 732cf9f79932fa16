"""The cockpit's main menu shows each person exactly the pages they may open: every link of
the menu opens (no link to a refusal), and each page of the employers' side that opens for them
is in their menu (a coordinator, whom the job datings page accepts, did not see its link)."""

from __future__ import annotations

import re

import pytest

from tests.cockpit.conftest import ADMIN, CLAIRE, COORD
from tests.employeurs.comptes import charge_entreprise
from tests.fixtures.plateforme import Plateforme

# the pages of the employers' side, whose readers are declared in web/api (not in the template)
EMPLOYEURS = ("/entreprises", "/offres", "/evenements-employeurs", "/clauses-sociales")


def liens_du_menu(html: str) -> list[str]:
    menu = html.split('aria-label="Menu principal"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'class="fr-nav__link" href="([^"]+)"', menu)


@pytest.mark.parametrize("compte", [CLAIRE, COORD, ADMIN, "charge_entreprise"])
async def test_le_menu_montre_les_pages_que_la_personne_peut_ouvrir(
    plateforme: Plateforme, compte: str
) -> None:
    if compte == "charge_entreprise":
        compte = await charge_entreprise(plateforme, "genevois_francais")
    async with plateforme.client(compte) as client:
        liens = liens_du_menu((await client.get("/")).text)
        assert liens, "aucun menu"
        for lien in liens:
            reponse = await client.get(lien)
            assert reponse.status_code == 200, (
                f"{compte} : {lien} dans le menu, {reponse.status_code}"
            )
        for page in EMPLOYEURS:
            if (await client.get(page)).status_code == 200:
                assert page in liens, f"{compte} ouvre {page}, absent de son menu"
            else:
                assert page not in liens
