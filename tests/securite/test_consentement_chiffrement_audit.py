"""Sensitive answers only for the référent and only with consent; personal data unreadable in
Temporal without the key (the admin's codec endpoint reads it); every read and write audited,
and any change to the audit log detected."""

from __future__ import annotations

import asyncio
import base64
import os
import sys
from datetime import date

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from store.audit import EntreeAudit
from store.db import ecriture, make_engine, session_factory
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme

SANTE = "Suivi en psychiatrie depuis 2019"


def _diagnostic_sensible(jour: date) -> dict[str, object]:
    d = donnees.diagnostic(jour)
    d["freins"][0] = {"frein": "sante", "niveau": "bloquant", "commentaire": SANTE}
    return d


async def test_le_sensible_pour_le_seul_referent_et_avec_consentement(
    plateforme: Plateforme,
) -> None:
    today = date.today()
    async with (
        plateforme.client("ref-claire-martin") as claire,
        plateforme.client("coord-bassin_annecien") as coord,
    ):
        pid = (
            await claire.post("/api/v1/parcours", json=donnees.accueil(today, nom="Sensible"))
        ).json()["id"]
        assert (
            await claire.post(
                f"/api/v1/parcours/{pid}/enregistrer-diagnostic", json=_diagnostic_sensible(today)
            )
        ).status_code == 200
        assert SANTE in (await claire.get(f"/api/v1/parcours/{pid}")).text
        assert SANTE not in (await coord.get(f"/api/v1/parcours/{pid}")).text
        assert SANTE not in (await coord.get(f"/parcours/{pid}")).text

        retrait = {
            "partage_partenaires": True,
            "themes_sensibles": False,
            "recueilli_le": today.isoformat(),
        }
        assert (
            await claire.post(f"/api/v1/parcours/{pid}/modifier-consentement", json=retrait)
        ).status_code == 200
        assert (
            SANTE not in (await claire.get(f"/api/v1/parcours/{pid}")).text
        )  # hidden at once, référent too
        assert SANTE not in (await claire.get(f"/parcours/{pid}")).text
        refus = await claire.post(
            f"/api/v1/parcours/{pid}/enregistrer-diagnostic", json=_diagnostic_sensible(today)
        )
        assert refus.status_code == 409
        assert "consentement" in refus.json()["message"]


async def test_rien_de_lisible_dans_temporal_sans_la_cle(plateforme: Plateforme) -> None:
    async with plateforme.client("ref-claire-martin") as claire:
        cree = await claire.post(
            "/api/v1/parcours",
            json=donnees.accueil(date.today(), nom="Chiffrement", prenom="Zélie"),
        )
        pid = cree.json()["id"]
    # A client without the codec, like `temporal workflow show`: payloads are ciphertext.
    sans_cle = await Client.connect(
        plateforme.settings.temporal_address, data_converter=pydantic_data_converter
    )
    brut = b"".join(
        [
            e.SerializeToString()
            async for e in sans_cle.get_workflow_handle(f"parcours-{pid}").fetch_history_events()
        ]
    )
    assert b"CHIFFREMENT" not in brut.upper()
    assert "Zélie".encode() not in brut
    assert b"binary/encrypted" in brut
    # The administrator reads it through the codec endpoint; anyone else is refused.
    histoire = [
        e async for e in sans_cle.get_workflow_handle(f"parcours-{pid}").fetch_history_events()
    ]
    payload = histoire[0].workflow_execution_started_event_attributes.input.payloads[0]
    corps = {
        "payloads": [
            {
                "metadata": {k: base64.b64encode(v).decode() for k, v in payload.metadata.items()},
                "data": base64.b64encode(payload.data).decode(),
            }
        ]
    }
    async with (
        plateforme.client("admin") as admin,
        plateforme.client("coord-bassin_annecien") as coord,
    ):
        assert (await coord.post("/codec/decode", json=corps)).status_code == 403
        lu = await admin.post("/codec/decode", json=corps)
        assert lu.status_code == 200
        assert "Zélie" in base64.b64decode(lu.json()["payloads"][0]["data"]).decode()


async def test_lectures_et_ecritures_journalisees_et_chaine_verifiee(
    plateforme: Plateforme,
) -> None:
    async with (
        plateforme.client("ref-claire-martin") as claire,
        plateforme.client("admin") as admin,
    ):
        pid = (
            await claire.post("/api/v1/parcours", json=donnees.accueil(date.today(), nom="Audit"))
        ).json()["id"]
        await claire.get(f"/api/v1/parcours/{pid}")
        journal = (await admin.get(f"/api/v1/audit?objet=parcours:{pid}")).json()
        actions = {(e["compte_id"], e["action"]) for e in journal["items"]}
        assert ("ref-claire-martin", "ecriture") in actions
        assert ("ref-claire-martin", "lecture") in actions
        assert all(e["adresse"] for e in journal["items"])
        assert (await admin.get("/api/v1/audit/verification")).json()["intact"] is True
        assert (await claire.get("/api/v1/audit")).status_code == 403
        export = await admin.get("/api/v1/audit/export.csv")
        assert export.text.startswith("\ufeffN°;Date;Compte")

        entree_id = journal["items"][-1]["id"]
        await _changer_compte(plateforme, entree_id, "quelqu-un-d-autre")  # behind the app's back
        try:
            verification = (await admin.get("/api/v1/audit/verification")).json()
            assert verification["intact"] is False
            assert "modifié" in verification["probleme"]
            commande = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "web.securite.verifier_audit",
                stdout=asyncio.subprocess.PIPE,
                env={**os.environ, "DATABASE_URL": plateforme.settings.effective_database_url},
            )
            sortie, _ = await commande.communicate()
            assert commande.returncode == 1  # `make audit` fails on a tampered log
            assert "ALTÉRÉ" in sortie.decode()
        finally:
            await _changer_compte(plateforme, entree_id, "ref-claire-martin")
        assert (await admin.get("/api/v1/audit/verification")).json()["intact"] is True


async def _changer_compte(plateforme: Plateforme, entree_id: int, compte_id: str) -> None:
    engine = make_engine(plateforme.settings.effective_database_url)
    async with session_factory(engine)() as session:
        await ecriture(session)
        entree = await session.get(EntreeAudit, entree_id)
        assert entree is not None
        entree.compte_id = compte_id
        await session.commit()
    await engine.dispose()
