"""Appointment reminders reach the person by SMS and e-mail at J-2, by SMS at J-1 (the
simulator's SMS gateway and mail catcher show them), and never when reminders are paused."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time

from temporalio.testing import WorkflowEnvironment

from core.clock import PARIS
from schemas.rdv import ModeRdv, PauseRappels, PlanificationRdv
from services.parcours_client import ParcoursClient
from tests.factories import CLAIRE, accueil_rsa, plus
from tests.fixtures.simulateur import Simulateur
from tests.workflows.temps import aller_au

# Numbers no other test uses: reminders of other tests' parcours go elsewhere.
TELEPHONE = "06 98 76 54 31"
TELEPHONE_EN_PAUSE = "06 98 76 54 32"


def _rdv(jour: date) -> PlanificationRdv:
    return PlanificationRdv(
        date_heure=datetime.combine(jour, time(14, 30), tzinfo=PARIS),
        mode=ModeRdv.SUR_PLACE,
        lieu="PMS d'Annecy-Novel",
        professionnel="Claire Martin",
        objet="Point d'étape",
    )


async def _recus(simulateur: Simulateur, attendu: int) -> list[dict]:
    for _ in range(100):
        sms = await simulateur.sms(telephone=TELEPHONE)
        if len(sms) >= attendu:
            return sms
        await asyncio.sleep(0.05)
    return await simulateur.sms(telephone=TELEPHONE)


async def test_rappels_a_j_moins_2_et_j_moins_1(
    parcours: ParcoursClient,
    temporal_env: WorkflowEnvironment,
    aujourd_hui: date,
    simulateur: Simulateur,
) -> None:
    s = await parcours.ouvrir(accueil_rsa(aujourd_hui, telephone=TELEPHONE), CLAIRE)
    jour_rdv = plus(aujourd_hui, 6)
    await parcours.commander(s.parcours_id, "planifier_rdv", _rdv(jour_rdv), CLAIRE)

    await aller_au(temporal_env, plus(jour_rdv, -2), heure=9)
    assert await simulateur.sms(telephone=TELEPHONE) == []
    await aller_au(temporal_env, plus(jour_rdv, -2), heure=11)
    sms = await _recus(simulateur, 1)
    assert len(sms) == 1
    assert f"{jour_rdv.day} " in sms[0]["texte"]
    assert "14 h 30" in sms[0]["texte"]
    courriels = [
        c
        for c in await simulateur.courriels(destinataire="marie.dupont@example.org")
        if "Rappel" in c["sujet"]
    ]
    assert len(courriels) == 1

    await aller_au(temporal_env, plus(jour_rdv, -1), heure=11)
    sms = await _recus(simulateur, 2)
    assert len(sms) == 2  # J-1: SMS only
    assert (
        len(
            [
                c
                for c in await simulateur.courriels(destinataire="marie.dupont@example.org")
                if "Rappel" in c["sujet"]
            ]
        )
        == 1
    )
    s = await parcours.etat(s.parcours_id)
    assert [e.details["rappel"] for e in s.timeline if e.code == "rappel_rdv"] == ["j-2", "j-1"]


async def test_aucun_rappel_quand_ils_sont_en_pause(
    parcours: ParcoursClient,
    temporal_env: WorkflowEnvironment,
    aujourd_hui: date,
    simulateur: Simulateur,
) -> None:
    s = await parcours.ouvrir(accueil_rsa(aujourd_hui, telephone=TELEPHONE), CLAIRE)
    await parcours.commander(
        s.parcours_id,
        "regler_rappels",
        PauseRappels(active=True, motif="La personne préfère être appelée par son référent"),
        CLAIRE,
    )
    jour_rdv = plus(aujourd_hui, 5)
    await parcours.commander(s.parcours_id, "planifier_rdv", _rdv(jour_rdv), CLAIRE)
    await aller_au(temporal_env, jour_rdv, heure=9)
    await asyncio.sleep(0.5)
    assert await simulateur.sms(telephone=TELEPHONE_EN_PAUSE) == []
    s = await parcours.etat(s.parcours_id)
    assert not [e for e in s.timeline if e.code == "rappel_rdv"]
