"""The logs of a real platform (web app with its access log, worker), in production's JSON
format, after a short journey: an accueil with a person's name, phone, e-mail, CAF and France
Travail ids, a carnet link sent and opened, a search by name. None of these reaches a log;
each line is one JSON object, an access line says its request, account and parcours."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.fiabilite.parcours import JUSQU_A_LA_SORTIE, KARIM, Personne, ouvrir, suivre
from tests.fiabilite.systeme import Systeme, attendre
from tests.fixtures.simulateur import Simulateur

pytestmark = pytest.mark.fiabilite

LIEN = re.compile(r"/carnet/([A-Za-z0-9_-]+)")
JUSQU_AU_LIEN = JUSQU_A_LA_SORTIE[:6]  # the contract signed, then the carnet's link


async def _secret_du_carnet(s: Systeme, p: Personne) -> str:
    async def recu() -> bool:
        return bool(await s.simulateur.sms(p.telephone))

    await attendre(recu, "SMS du lien du carnet reçu", 120, 0.5)
    trouve = LIEN.search(json.dumps(await s.simulateur.sms(p.telephone)))
    assert trouve is not None
    return trouve.group(1)


async def _parcours(s: Systeme, p: Personne) -> tuple[str, str]:
    async with s.http(KARIM) as http:
        pid = await ouvrir(http, p)
        await suivre(http, pid, JUSQU_AU_LIEN)
        recherche = await http.get("/api/v1/parcours", params={"q": p.nom})
        assert recherche.status_code == 200, recherche.text
        marque = await http.get(f"/api/v1/parcours/{pid}", headers={"X-Request-ID": "essai-42"})
        assert marque.headers["X-Request-ID"] == "essai-42"
        assert re.fullmatch(r"[0-9a-f]{32}", recherche.headers["X-Request-ID"])
    secret = await _secret_du_carnet(s, p)
    async with s.http() as personne:
        assert (await personne.get(f"/carnet/{secret}")).status_code == 200
    return pid, secret


def _lignes(processus_texte: str) -> list[dict[str, Any]]:
    lignes = [ligne for ligne in processus_texte.splitlines() if ligne.strip()]
    objets = [json.loads(ligne) for ligne in lignes if not ligne.startswith("=====")]
    assert objets, "journal vide"
    return objets


async def test_aucune_donnee_personnelle_ni_secret_dans_les_journaux(
    tmp_path: Path, simulateur: Simulateur
) -> None:
    s = Systeme.preparer(tmp_path, simulateur)
    s.web.env["LOG_FORMAT"] = s.worker.env["LOG_FORMAT"] = "json"
    s.web.commande.remove("--no-access-log")  # the image's command keeps it
    await s.installer()
    p = Personne.nouvelle()
    try:
        await s.premier_demarrage_temporal()
        await s.demarrer_worker()
        await s.demarrer_web()
        pid, secret = await _parcours(s, p)
    finally:
        s.arreter()
    web, worker = s.web.texte(), s.worker.texte()
    chiffres = p.telephone.replace(" ", "")
    for cherche in (p.nom, p.telephone, chiffres, p.email, p.caf, p.france_travail, secret):
        assert cherche not in web, f"{cherche!r} dans le journal du web ({s.web.journal})"
        assert cherche not in worker, f"{cherche!r} dans le journal du worker ({s.worker.journal})"

    acces = [o for o in _lignes(web) if o["journal"] == "uvicorn.access"]
    assert {"methode": "GET", "chemin": "/carnet/[masqué]", "statut": 200}.items() <= next(
        o for o in acces if o["chemin"].startswith("/carnet/")
    ).items()
    marquee = next(o for o in acces if o["requete_id"] == "essai-42")
    assert marquee["parcours_id"] == pid
    assert all(len(o["compte"]) == 12 for o in acces if o["chemin"].startswith("/api/v1/"))
    assert any(o["message"].startswith("Worker prêt") for o in _lignes(worker))
    # workflow and run ids: the scenario's workflows log nothing; tests/core/test_journaux.py
