"""A parcours is followed on its territory (issue 14, item 7): accueil, orientation and
transfer refuse a référent of another territory (422 naming the field), whatever the client
sends, unless the coordination or the administration decides it, with a reason the audit
log keeps."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

import httpx
from sqlmodel import col, select

from store.audit import EntreeAudit
from store.db import make_engine, session_factory
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme

CLAIRE, COORD, ADMIN = "ref-claire-martin", "coord-bassin_annecien", "admin"
NICOLAS = "ref-nicolas-blanc"  # France Travail, Chablais


def _accueil(**extra: Any) -> dict[str, Any]:
    nom = "Territoire" + secrets.token_hex(4).upper()
    return donnees.accueil(date.today(), nom=nom) | extra


def _orientation(referent_id: str, **extra: str) -> dict[str, Any]:
    return {
        "decidee_le": date.today().isoformat(),
        "type": "professionnelle",
        "organisme": "france_travail",
        "referent_id": referent_id,
        **extra,
    }


def _champ(r: httpx.Response) -> str:
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "referent_hors_territoire"
    return str(r.json()["erreurs"][0]["champ"])


async def _diagnostique(client: httpx.AsyncClient) -> str:
    cree = await client.post("/api/v1/parcours", json=_accueil())
    assert cree.status_code == 201, cree.text
    pid = str(cree.json()["id"])
    diag = await client.post(
        f"/api/v1/parcours/{pid}/enregistrer-diagnostic", json=donnees.diagnostic(date.today())
    )
    assert diag.status_code == 200, diag.text
    return pid


async def _audit(p: Plateforme, pid: str) -> list[str]:
    engine = make_engine(p.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            q = select(EntreeAudit.detail).where(EntreeAudit.objet == f"parcours:{pid}")
            return list((await session.exec(q.order_by(col(EntreeAudit.id)))).all())
    finally:
        await engine.dispose()


async def test_referent_d_un_autre_territoire(plateforme: Plateforme) -> None:
    async with (
        plateforme.client(CLAIRE) as claire,
        plateforme.client(COORD) as coord,
        plateforme.client(ADMIN) as admin,
    ):
        # A référent: refused, whatever the form would have offered.
        assert _champ(
            await claire.post("/api/v1/parcours", json=donnees.dans(_accueil(), "chablais"))
        )
        pid = await _diagnostique(claire)
        base = f"/api/v1/parcours/{pid}"
        avant = (await claire.get(base)).json()["etat"]["version_metier"]
        r = await claire.post(f"{base}/decider-orientation", json=_orientation(NICOLAS))
        assert _champ(r) == "referent_id"
        assert "Nicolas Blanc exerce sur le territoire Chablais" in r.json()["message"]
        transfert = {"nouveau_referent_id": NICOLAS, "motif": "Déménagement"}
        r = await claire.post(f"{base}/transferer-referent", json=transfert)
        assert _champ(r) == "nouveau_referent_id"
        assert (await claire.get(base)).json()["etat"]["version_metier"] == avant  # nothing changed

        # The coordination decides, with a reason, which the audit log keeps.
        r = await coord.post(f"{base}/decider-orientation", json=_orientation(NICOLAS))
        assert _champ(r) == "motif_hors_territoire"
        motif = "Personne hébergée à Thonon pendant sa formation"
        r = await coord.post(
            f"{base}/decider-orientation",
            json=_orientation(NICOLAS, motif_hors_territoire=motif),
        )
        assert r.status_code == 200, r.text
        assert r.json()["etat"]["referent"]["referent"]["id"] == NICOLAS
        assert any(motif in d for d in await _audit(plateforme, pid))

        # An accueil confided to a référent of another territory: the administration may.
        confie = _accueil(referent_id=NICOLAS)
        assert _champ(await coord.post("/api/v1/parcours", json=confie)) == "motif_hors_territoire"
        r = await admin.post(
            "/api/v1/parcours", json=confie | {"motif_hors_territoire": "Accord des deux"}
        )
        assert r.status_code == 201, r.text
