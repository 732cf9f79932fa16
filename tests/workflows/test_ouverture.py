"""A parcours opened at accueil brings its vigie's rules with its start (issue 16): its vigie
is armed in its first workflow task, without an activity to load them."""

from __future__ import annotations

from datetime import date

from bench.historique import ouverture
from core.ids import parcours_workflow_id
from schemas.parcours import ParcoursState
from services.parcours_client import ParcoursClient
from tests.factories import CLAIRE, accueil_rsa


async def test_les_regles_de_la_vigie_viennent_avec_le_demarrage(
    parcours: ParcoursClient, aujourd_hui: date
) -> None:
    etat = await parcours.ouvrir(accueil_rsa(aujourd_hui), CLAIRE)

    wid = parcours_workflow_id(etat.parcours_id)
    histoire = await ouverture(parcours.client, wid)
    assert "regles.charger_vigie" not in histoire.activites, histoire.texte()
    complet = await parcours.client.get_workflow_handle(wid).query(
        "etat_complet", result_type=ParcoursState
    )
    assert complet.regles is not None
    assert complet.regles.territoire == etat.territoire.value
    assert etat.alertes == complet.alertes  # evaluated with them before answering the accueil
