"""Detection latency: from a partner event that signals a rupture (a France Travail radiation)
to the parcours appearing in the coordinator's list, read from the read model by the API."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Any

import httpx

from bench import pile
from bench.contexte import Contexte
from bench.evenements import SANS_LIMITE, Personne, ouvrir_parcours
from bench.mesure import Chiffre, Resultat, au_plus, centile, ms
from core.partners import load_partners
from simulator import emetteur

NS = "bench-detection"
COORDINATRICE = "coord-bassin_annecien"
MOTIF = "signalement_a_traiter"
CIBLE_P95_S = 2.0
DELAI_S = 60.0
INTERVALLE_S = 0.025  # each look is audited, as every list read is


async def _visible(coord: httpx.AsyncClient, parcours_id: str) -> bool:
    reponse = await coord.get(
        "/api/v1/parcours",
        params={"territoire": "bassin_annecien", "motif": MOTIF, "limit": 500},
    )
    reponse.raise_for_status()
    return any(item["id"] == parcours_id for item in reponse.json()["items"])


async def _une_detection(
    app: pile.Application, client: httpx.AsyncClient, coord: httpx.AsyncClient, p: Personne
) -> float:
    s = app.settings
    france_travail = load_partners(s.partners_file, s.effective_partner_base_url)["france-travail"]
    ev = emetteur.construire_evenement(
        france_travail,
        "fr.france-travail.demandeur.radie",
        p.france_travail,
        {"date": datetime.now(UTC).date().isoformat(), "motif": "Absence à convocation"},
        identifiant=str(uuid.uuid4()),
    )
    debut = time.perf_counter()
    envoi = await emetteur.envoyer(app.url, france_travail, ev, client=client)
    if envoi.statut_http != 202:
        raise RuntimeError(f"Radiation refusée : {envoi.statut_http} {envoi.reponse}")
    while not await _visible(coord, p.parcours_id):  # noqa: ASYNC110 (polling the API is the measure)
        await asyncio.sleep(INTERVALLE_S)
    return time.perf_counter() - debut


async def _bornee(detection: Coroutine[Any, Any, float]) -> float | None:
    """The latency, or None when the parcours did not appear within a minute."""
    try:
        return await asyncio.wait_for(detection, DELAI_S)
    except TimeoutError:
        return None


async def mesurer(ctx: Contexte) -> Resultat:
    t = ctx.tailles
    r = Resultat("Détection des ruptures")
    async with pile.application(
        ctx.sous_dossier("detection"), ctx.temporal, NS, **SANS_LIMITE
    ) as app:
        personnes = await ouvrir_parcours(app, t.detection_echantillons + 1, 11)
        async with httpx.AsyncClient(timeout=30) as client, app.client_http(COORDINATRICE) as coord:
            await _une_detection(app, client, coord, personnes[-1])  # warm-up
            mesures = [await _bornee(_une_detection(app, client, coord, p)) for p in personnes[:-1]]
    latences = [x for x in mesures if x is not None]
    manques = len(mesures) - len(latences)
    p95 = centile(latences, 95)
    methode = (
        f"{len(latences)} radiations France Travail signées, une à la fois, chacune sur un "
        "parcours ouvert ; chronomètre lancé avant l'envoi, arrêté quand le parcours figure dans "
        f"la liste de la coordinatrice (GET /api/v1/parcours?motif={MOTIF}, territoire du "
        f"parcours), interrogée toutes les {ms(INTERVALLE_S):.0f} ms : signal, workflow, vigie, "
        "projection, modèle de lecture"
    )
    r.ajouter(
        Chiffre(
            "Événement → liste de la coordination (p50)",
            ms(centile(latences, 50)),
            "ms",
            methode,
        )
    )
    r.ajouter(
        Chiffre(
            "Événement → liste de la coordination (p95)",
            ms(p95),
            "ms",
            f"Même série ; maximum {ms(max(latences, default=0)):.0f} ms ; {manques} parcours "
            f"absent(s) de la liste après {DELAI_S:.0f} s (exclus)",
            cible="< 2 000 ms",
            atteinte=au_plus(p95, CIBLE_P95_S) and manques == 0,
        )
    )
    return r
