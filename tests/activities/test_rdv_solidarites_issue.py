"""The outcome a référent records goes back to the person's participation in RDV-Solidarités:
``PATCH /api/v1/participations/{id}`` on recorded answers of the tool's shape (the rdv on
success, devise_token_auth's 401, the empty 404, Rails' 422, rack-attack's 429), and the
simulator keeping the status it was sent."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.rdv_solidarites import (
    ClientRdvSolidarites,
    IdentifiantsAgent,
    RdvSolidaritesActivities,
)
from core.partners import load_partners
from core.settings import Settings
from partenaires.rdv_solidarites import ISSUES, STATUT_PARTICIPATION
from schemas.appels import AppelPartenaire
from schemas.incident import TypeOperation
from schemas.rdv import StatutRdv
from schemas.rdv_solidarites import IssueRdvSolidarites
from simulator.app import create_app
from simulator.rdv_solidarites import EtatRdvSolidarites, RdvSimule, rdv_natif
from simulator.store import Store
from tests.activities.test_rdv_solidarites import AGENT, CONFIG, enregistre

PARTICIPATION = "66120455"  # the participation of the recorded rdv (webhook_rdv_updated_noshow)


def appel_issue(statut: StatutRdv, participation_id: str = PARTICIPATION) -> AppelPartenaire:
    issue = IssueRdvSolidarites(
        rdv_id="rdvs-48213907", participation_id=participation_id, statut=statut
    )
    return AppelPartenaire(
        idempotence="p-op-3",
        parcours_id="p",
        operation=TypeOperation.TRANSMETTRE_ISSUE_RDV_SOLIDARITES,
        donnees=issue.model_dump(mode="json"),
    )


async def transmettre(
    reponse: Callable[[], httpx.Response], statut: StatutRdv = StatutRdv.NON_HONORE
) -> tuple[dict[str, Any], list[httpx.Request]]:
    requetes: list[httpx.Request] = []

    def transport(request: httpx.Request) -> httpx.Response:
        requetes.append(request)
        return reponse()

    async with httpx.AsyncClient(transport=httpx.MockTransport(transport)) as http:
        activites = RdvSolidaritesActivities(ClientRdvSolidarites(CONFIG, AGENT, http))
        resultat = await ActivityEnvironment().run(activites.transmettre_issue, appel_issue(statut))
    return resultat, requetes


def test_chaque_issue_a_son_statut_dans_l_outil() -> None:
    """Every outcome a référent can record has a status the tool accepts, and reading it back
    through the webhooks' table gives the same outcome."""
    issues = [s for s in StatutRdv if s != StatutRdv.PREVU]
    assert {s: STATUT_PARTICIPATION[s] for s in issues} == {
        StatutRdv.HONORE: "seen",
        StatutRdv.EXCUSE: "excused",
        StatutRdv.NON_HONORE: "noshow",
        StatutRdv.ANNULE: "revoked",
    }
    for statut, statut_outil in STATUT_PARTICIPATION.items():
        assert ISSUES[statut_outil].replace("-", "_") == statut.value


async def test_absent_envoie_noshow_a_la_participation() -> None:
    resultat, (requete,) = await transmettre(
        lambda: enregistre("api_participation_update_200.json")
    )
    assert resultat == {"statut_outil": "noshow"}
    assert (requete.method, requete.url.path) == (
        "PATCH",
        f"/api/v1/participations/{PARTICIPATION}",
    )
    assert json.loads(requete.content) == {"participation": {"status": "noshow"}}
    assert (requete.headers["uid"], requete.headers["client"], requete.headers["access-token"]) == (
        "agent@cd74.test",
        "parcours",
        "jeton",
    )
    assert "jeton" not in json.dumps(resultat)


@pytest.mark.parametrize(
    ("reponse", "reessaye", "message"),
    [
        (lambda: enregistre("api_401.json", 401), False, "refuse les identifiants de l'agent"),
        (lambda: httpx.Response(404), False, "refuse la demande (404)"),
        (
            lambda: enregistre("api_422_participation_status.json", 422),
            False,
            "status n'est pas inclus(e) dans la liste",
        ),
        (lambda: httpx.Response(503, text="<html>Maintenance</html>"), True, "en erreur (503)"),
    ],
)
async def test_erreurs_de_l_outil(
    reponse: Callable[[], httpx.Response], reessaye: bool, message: str
) -> None:
    """4xx: not retried, the call's incident shows the tool's message; 5xx: retried."""
    with pytest.raises(ApplicationError) as erreur:
        await transmettre(reponse)
    assert erreur.value.non_retryable is (not reessaye)
    assert message in erreur.value.message


async def test_429_reessaye_apres_retry_after() -> None:
    trop = httpx.Response(429, text="Retry later\n", headers={"Retry-After": "12"})
    with pytest.raises(ApplicationError) as erreur:
        await transmettre(lambda: trop)
    assert not erreur.value.non_retryable
    assert erreur.value.next_retry_delay == timedelta(seconds=12)


async def test_le_simulateur_garde_le_statut_recu(tmp_path: Path) -> None:
    settings = Settings()
    app = create_app(settings, Store(tmp_path / "simulateur.json"))
    etat = app.state.rdv_solidarites = EtatRdvSolidarites()
    debut = datetime(2026, 12, 8, 9, 30, tzinfo=UTC)
    natif = rdv_natif(RdvSimule(usager_id=731204, rdv_id=88001, starts_at=debut))
    etat.participations[880010] = natif
    config = load_partners(settings.partners_file, "http://simulateur")["rdv"]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as http:
        bon = ClientRdvSolidarites(config, IdentifiantsAgent.depuis(config, {}), http)
        env = ActivityEnvironment()
        await env.run(
            RdvSolidaritesActivities(bon).transmettre_issue, appel_issue(StatutRdv.EXCUSE, "880010")
        )
        assert natif["participations"][0]["status"] == "excused"
        lu = await http.get("http://simulateur/_simulateur/rdv-solidarites/participations/880010")
        assert lu.json()["status"] == "excused"

        with pytest.raises(ApplicationError, match=r"\(404\)") as inconnue:
            await env.run(bon.statut_participation, "999", "seen")
        assert inconnue.value.non_retryable
        with pytest.raises(ApplicationError, match="status inclusion"):
            await env.run(bon.statut_participation, "880010", "absent")
        faux = IdentifiantsAgent(uid="agent@simulateur.test", client="x", access_token="faux")
        with pytest.raises(ApplicationError, match="Vous devez vous connecter"):
            await env.run(
                ClientRdvSolidarites(config, faux, http).statut_participation, "880010", "seen"
            )
    assert natif["participations"][0]["status"] == "excused"
