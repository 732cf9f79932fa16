"""A rdv taken in RDV-Solidarités and missed: the référent records « non honoré » in the
platform, and the tool (the simulator) gets ``noshow`` on the person's participation, so its
statistics and reminders stop reading « unknown ». A rdv made in the platform sends nothing;
the agent's tokens never enter the history."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from core.partners import load_partners
from store.db import SessionFactory
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from tests.partenaires.test_rdv_solidarites_invitation import CLAIRE, _attendre, _etat, _parcours
from tests.securite.traces import historique_en_clair

TRANSMISSION = "transmettre_issue_rdv_solidarites"


async def _renseigner(claire: httpx.AsyncClient, pid: str, rdv_id: str, statut: str) -> None:
    r = await claire.post(
        f"/api/v1/parcours/{pid}/renseigner-rdv", json={"rdv_id": rdv_id, "statut": statut}
    )
    assert r.status_code == 200, r.text


async def test_absent_dans_la_plateforme_noshow_dans_l_outil(
    plateforme: Plateforme, simulateur: Simulateur, lecture: SessionFactory
) -> None:
    async with plateforme.client(CLAIRE) as claire:
        pid, _ = await _parcours(claire, inscrite=True, lecture=lecture)
        usager = int((await _etat(claire, pid))["identifiants"]["rdv_solidarites"])
        outil_rdv_id = 500_000 + secrets.randbelow(10**6)
        hier = (datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0)
        pris = {"usager_id": usager, "rdv_id": outil_rdv_id, "starts_at": hier.isoformat()}
        retour = await simulateur._appel("POST", "/_simulateur/rdv-solidarites/rdvs", json=pris)
        assert retour["statut_http"] == 200, retour
        rdv_id = f"rdvs-{outil_rdv_id}"

        async def arrive() -> bool:
            return rdv_id in [r["id"] for r in (await _etat(claire, pid))["rdvs"]]

        await _attendre(arrive, "le rdv venu de l'outil")
        await _renseigner(claire, pid, rdv_id, "non_honore")

        participation = f"/_simulateur/rdv-solidarites/participations/{outil_rdv_id * 10}"

        async def noshow() -> bool:
            return bool((await simulateur._appel("GET", participation))["status"] == "noshow")

        await _attendre(noshow, "« noshow » reçu par l'outil pour cette participation")

        async def transmise() -> dict[str, Any] | None:
            fil = (await _etat(claire, pid))["timeline"]
            return next((e for e in fil if e["code"] == "issue_transmise_rdv_solidarites"), None)

        ligne = await _attendre(transmise, "« Issue transmise » dans le fil du parcours")
        assert ligne["libelle"] == "Issue transmise à RDV-Solidarités : non honoré"

        # The tool's webhook for that change, and a second rdv whose outcome an agent set in
        # the tool: outcomes that come from the tool are not sent back to it.
        autre = outil_rdv_id + 1
        for rdv, event in ((outil_rdv_id, "updated"), (autre, "created")):
            absente = {**pris, "rdv_id": rdv, "statut": "noshow", "event": event}
            retour = await simulateur._appel(
                "POST", "/_simulateur/rdv-solidarites/rdvs", json=absente
            )
            assert retour["statut_http"] == 200, retour

        async def autre_non_honore() -> dict[str, Any] | None:
            etat = await _etat(claire, pid)
            statuts = [r["statut"] for r in etat["rdvs"] if r["id"] == f"rdvs-{autre}"]
            return etat if statuts == ["non_honore"] else None

        etat = await _attendre(autre_non_honore, "l'absence notée dans l'outil")
        assert [o["type"] for o in etat["operations"]].count(TRANSMISSION) == 1
    historique = await historique_en_clair(plateforme.env.client, pid)
    jeton = load_partners(plateforme.settings.partners_file, plateforme.base_url)["rdv"].jeton
    assert jeton
    assert jeton not in historique


async def test_un_rdv_de_la_plateforme_n_envoie_rien(
    plateforme: Plateforme, simulateur: Simulateur
) -> None:
    async with plateforme.client(CLAIRE) as claire:
        pid, _ = await _parcours(claire, inscrite=True)
        maintenant = datetime.now(UTC)  # not the day before: the person was welcomed today
        r = await claire.post(
            f"/api/v1/parcours/{pid}/planifier-rdv",
            json={
                "date_heure": maintenant.isoformat(),
                "mode": "telephone",
                "professionnel": "Claire Martin",
                "objet": "Point",
            },
        )
        assert r.status_code == 200, r.text
        rdv_id = r.json()["etat"]["rdvs"][-1]["id"]
        await _renseigner(claire, pid, rdv_id, "non_honore")
        etat = await _etat(claire, pid)
    assert [o["type"] for o in etat["operations"] if o["type"] == TRANSMISSION] == []
    assert [r["statut"] for r in etat["rdvs"] if r["id"] == rdv_id] == ["non_honore"]
