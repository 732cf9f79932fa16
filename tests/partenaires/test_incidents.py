"""France Travail down, then back: the failed call becomes an incident the coordination sees,
the bulk retry clears it, and France Travail received the notification exactly once."""

from __future__ import annotations

from datetime import date
from typing import Any

from schemas.common import Acteur, Organisme, Role, Territoire
from schemas.usager import IdentifiantsPartenaires
from store.db import SessionFactory
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from tests.partenaires.outils import RAPIDE, attendre, identifiant_france_travail, ouvrir, vue

PAULINE = Acteur(
    id="ref-pauline-chevalier",
    nom="Pauline Chevalier",
    role=Role.REFERENT,
    organisme=Organisme.CONSEIL_DEPARTEMENTAL,
    territoire=Territoire.VALLEE_ARVE,
)
COORD = "coord-vallee_arve"


async def _oriente_vers_france_travail(plateforme: Plateforme) -> str:
    """A parcours of the Vallée de l'Arve, oriented to France Travail (which is notified)."""
    today = date.today()
    pid = await ouvrir(
        plateforme,
        IdentifiantsPartenaires(france_travail=identifiant_france_travail()),
        auteur=PAULINE,
        politique=RAPIDE,
        territoire=Territoire.VALLEE_ARVE,
    )
    async with plateforme.client(PAULINE.id) as pauline:
        base = f"/api/v1/parcours/{pid}"
        diag = await pauline.post(f"{base}/enregistrer-diagnostic", json=donnees.diagnostic(today))
        assert diag.status_code == 200, diag.text
        decision = {
            "decidee_le": today.isoformat(),
            "type": "professionnelle",
            "organisme": "france_travail",
            "referent_id": "ref-mehdi-haddad",
        }
        oriente = await pauline.post(f"{base}/decider-orientation", json=decision)
        assert oriente.status_code == 200, oriente.text
    return pid


async def test_panne_puis_relance_groupee(
    plateforme: Plateforme, simulateur: Simulateur, lecture: SessionFactory
) -> None:
    await simulateur.mode("france-travail", "panne")
    pid = await _oriente_vers_france_travail(plateforme)
    async with plateforme.client(COORD) as coord:

        async def incident_ouvert() -> dict[str, Any] | None:
            page = await coord.get("/api/v1/incidents", params={"partenaire": "france-travail"})
            assert page.status_code == 200, page.text
            mien = [i for i in page.json()["incidents"] if i["parcours_id"] == pid]
            return {"page": page.json(), "incident": mien[0]} if mien else None

        trouve = await attendre(incident_ouvert, "incident France Travail visible")
        incident = trouve["incident"]
        assert (incident["statut"], incident["operation"]) == ("ouvert", "notifier_orientation")
        assert incident["tentatives"] == RAPIDE.tentatives
        groupe = next(
            g
            for g in trouve["page"]["groupes"]
            if (g["partenaire"], g["message"]) == ("france-travail", incident["message"])
        )
        assert groupe["incidents"] >= 1
        assert groupe["parcours"] >= 1
        assert groupe["premiere_erreur"] <= incident["premiere_erreur"]
        assert (await vue(coord, pid))["statut"] == "en_incident"

        await simulateur.mode("france-travail", "normal")
        relance = await coord.post(
            "/api/v1/incidents/relance", json={"partenaire": "france-travail"}
        )
        assert relance.status_code == 200, relance.text
        assert relance.json()["relances"] >= 1
        assert pid not in [e["parcours_id"] for e in relance.json()["echecs"]]

        async def resolu() -> dict[str, Any] | None:
            v = await vue(coord, pid)
            return v if v["etat"]["incidents"][0]["statut"] == "resolu" else None

        v = await attendre(resolu, "incident résolu après la relance")
        operation_id = v["etat"]["incidents"][0]["operation_id"]
    recus = [
        r for r in await simulateur.recus(partenaire="france-travail") if r["cle"] == operation_id
    ]
    assert len(recus) == 1
    assert recus[0]["appels"] >= 1
    assert recus[0]["operation"] == "notifier_orientation"


async def test_filtres_et_perimetre(plateforme: Plateforme) -> None:
    async with plateforme.client(COORD) as coord, plateforme.client("ref-karim-benali") as karim:
        ailleurs = await coord.get("/api/v1/incidents", params={"territoire": "chablais"})
        assert ailleurs.status_code == 403
        assert ailleurs.json()["code"] == "hors_territoire"
        inconnu = await coord.get("/api/v1/incidents", params={"partenaire": "pole-emploi"})
        assert inconnu.status_code == 422
        assert inconnu.json()["erreurs"][0]["champ"] == "partenaire"
        # a référent sees only the incidents of their own caseload
        page = (await karim.get("/api/v1/incidents", params={"statut": "resolu"})).json()
        assert all(i["territoire"] == "bassin_annecien" for i in page["incidents"])
        vide = await karim.post("/api/v1/incidents/relance", json={"partenaire": "sms"})
        assert vide.json() == {"relances": 0, "echecs": []}


async def test_la_relance_groupee_d_une_ancienne_referente_ne_tente_que_les_siens(
    plateforme: Plateforme, simulateur: Simulateur
) -> None:
    """Pauline handed the parcours to Mehdi and still reads it, incidents included; her bulk
    retry leaves it to Mehdi instead of answering that it was refused to her."""
    await simulateur.mode("france-travail", "panne")
    try:
        pid = await _oriente_vers_france_travail(plateforme)
        async with plateforme.client(PAULINE.id) as pauline:

            async def visible() -> bool | None:
                page = await pauline.get(
                    "/api/v1/incidents", params={"partenaire": "france-travail"}
                )
                assert page.status_code == 200, page.text
                return True if pid in [i["parcours_id"] for i in page.json()["incidents"]] else None

            await attendre(visible, "incident visible de l'ancienne référente")
            relance = await pauline.post(
                "/api/v1/incidents/relance", json={"partenaire": "france-travail"}
            )
            assert relance.status_code == 200, relance.text
            assert pid not in [e["parcours_id"] for e in relance.json()["echecs"]], relance.text
    finally:
        await simulateur.mode("france-travail", "normal")
