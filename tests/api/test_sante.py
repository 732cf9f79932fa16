"""Liveness and readiness with Temporal unreachable: the web replica stays alive (``/livez``),
says it is not ready and what is missing (``/readyz``, ``/healthz``), keeps serving what it
reads from the read model, and refuses commands with the usual 503."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.api import donnees
from tests.securite.cockpit_seul import cockpit_seul
from tests.securite.outils import connecte

REFERENTE = "claire.martin@hautesavoie.fr"


async def test_sans_temporal_vivant_pas_pret_et_lectures_servies(
    base_lecture: str, tmp_path: Path
) -> None:
    async with (
        cockpit_seul(tmp_path, base_lecture) as web,
        connecte(web, REFERENTE) as (client, csrf),
    ):
        vivant = await client.get("/livez")
        assert vivant.status_code == 200, vivant.text
        assert vivant.json()["statut"] == "ok"

        for chemin in ("/readyz", "/healthz"):
            pret = await client.get(chemin)
            assert pret.status_code == 503, pret.text
            # a problem detail like every 5xx (RFC 9457), the probe's members beside it
            assert pret.headers["content-type"] == "application/problem+json"
            corps = pret.json()
            assert corps["status"] == 503
            assert corps["instance"] == chemin
            assert corps["detail"] == corps["message"]
            assert corps["statut"] == "degrade"
            assert corps["manquants"] == ["temporal"], corps
            assert corps["base"] == "ok"
            assert corps["temporal"].startswith("injoignable")
            assert corps["message"].startswith(
                "Indisponible : le moteur de parcours (Temporal) ne répond pas."
            ), corps

        liste = await client.get("/api/v1/parcours")
        assert liste.status_code == 200, liste.text
        page = await client.get("/", headers={"Accept": "text/html"})
        assert page.status_code == 200, page.text

        ordre = await client.post(
            "/api/v1/parcours",
            json=donnees.accueil(date.today()) | {"doublon_confirme": True},
            headers={"X-CSRF-Token": csrf},
        )
        assert ordre.status_code == 503, ordre.text
        assert ordre.json()["code"] == "temporal_indisponible"
