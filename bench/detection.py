"""Detection latency: from a partner event that signals a rupture (a France Travail radiation)
to the parcours appearing in the coordinator's list, read from the read model by the API."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from bench import decomposition, pile, postgres
from bench.contexte import Contexte
from bench.evenements import (
    SANS_LIMITE,
    TAILLE_LOT,
    Lot,
    Personne,
    en_lots,
    envoyer_lot,
    ouvrir_parcours,
    preparer,
)
from bench.mesure import Chiffre, Resultat, au_plus, centile, ms
from core.partners import load_partners
from simulator import emetteur

NS = "bench-detection"
NS_POSTGRES = "bench-detection-postgres"
COORDINATRICE = "coord-bassin_annecien"
MOTIF = "signalement_a_traiter"
CIBLE_P95_S = 2.0
DELAI_S = 60.0
EN_VOL_MAX = 8  # batches waiting for their answer (800 events)
INTERVALLE_S = 0.025  # each look is audited, as every list read is


async def _visible(coord: httpx.AsyncClient, parcours_id: str) -> bool:
    reponse = await coord.get(
        "/api/v1/parcours",
        params={"territoire": "bassin_annecien", "motif": MOTIF, "limit": 500},
    )
    reponse.raise_for_status()
    return any(item["id"] == parcours_id for item in reponse.json()["items"])


async def _une_detection(
    app: pile.Application,
    client: httpx.AsyncClient,
    coord: httpx.AsyncClient,
    p: Personne,
    traces: list[decomposition.Trace] | None = None,
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
    debut, horloge = time.perf_counter(), time.time()  # wall time: against the history's
    envoi = await emetteur.envoyer(app.url, france_travail, ev, client=client)
    if envoi.statut_http != 202:
        raise RuntimeError(f"Radiation refusée : {envoi.statut_http} {envoi.reponse}")
    trace = decomposition.Trace(p.parcours_id, horloge, time.time())
    if traces is not None:
        traces.append(trace)
    while True:
        lecture = time.time()
        if await _visible(coord, p.parcours_id):
            break
        await asyncio.sleep(INTERVALLE_S)
    trace.vu, trace.lecture = time.time(), lecture
    return time.perf_counter() - debut


async def _bornee(detection: Coroutine[Any, Any, float]) -> float | None:
    """The latency, or None when the parcours did not appear within a minute."""
    try:
        return await asyncio.wait_for(detection, DELAI_S)
    except (TimeoutError, httpx.HTTPError):  # an overloaded web app did not even answer
        return None


@dataclass
class Rafale:
    """Partner events sent at a steady rate to other parcours while detection is measured,
    in batches (a partner's run), while each radiation is sent alone."""

    envoyes: int = 0  # events
    acceptes: int = 0
    echecs: int = 0  # events of batches without an answer (connection refused or timed out)
    sautes: int = 0  # events not sent: already EN_VOL_MAX batches waiting for their answer
    duree_s: float = 0.0

    @property
    def par_s(self) -> float:
        return self.envoyes / self.duree_s if self.duree_s else 0.0


async def _rafale(
    app: pile.Application, lots: list[Lot], par_s: int, fin: asyncio.Event, bilan: Rafale
) -> None:
    """One batch every TAILLE_LOT/par_s second, each request on its own (a slow answer does
    not slow the rate), until ``fin`` or the prepared batches run out."""
    debut = time.perf_counter()
    en_cours: set[asyncio.Task[None]] = set()
    async with app.client_http(connexions=EN_VOL_MAX) as client:
        for n, lot in enumerate(lots):
            if fin.is_set():
                break
            attente = debut + n * TAILLE_LOT / par_s - time.perf_counter()
            if attente > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(fin.wait(), attente)
                if fin.is_set():
                    break
            if len(en_cours) >= EN_VOL_MAX:  # the platform is behind: this one is not sent
                bilan.sautes += len(lot.identifiants)
                continue
            tache = asyncio.create_task(_envoyer(client, lot, bilan))
            en_cours.add(tache)
            tache.add_done_callback(en_cours.discard)
            bilan.envoyes += len(lot.identifiants)
        bilan.duree_s = time.perf_counter() - debut
        await asyncio.gather(*en_cours)


async def _envoyer(client: httpx.AsyncClient, lot: Lot, bilan: Rafale) -> None:
    try:
        recu = await envoyer_lot(client, lot)
    except httpx.HTTPError:
        bilan.echecs += len(lot.identifiants)
        return
    bilan.acceptes += len(recu.acceptes)  # after the await: « += await » would lose updates


async def mesurer(ctx: Contexte) -> Resultat:
    return await _mesurer(ctx, Resultat("Détection des ruptures"), NS, "")


async def mesurer_postgres(ctx: Contexte) -> Resultat:
    """The same measure with the read model on PostgreSQL (what production runs): several
    writers at once, where SQLite has one."""
    r = Resultat("Détection des ruptures, modèle de lecture sur PostgreSQL")
    if ctx.postgres_url is None:
        r.notes.append("PostgreSQL : non mesuré (binaires absents ou --sans-postgres).")
        return r
    url = await postgres.nouvelle_base(ctx.postgres_url, "detection")
    return await _mesurer(ctx, r, NS_POSTGRES, url)


async def _mesurer(ctx: Contexte, r: Resultat, namespace: str, database_url: str) -> Resultat:
    t = ctx.tailles
    async with pile.application(
        ctx.sous_dossier(namespace), ctx.temporal, namespace, database_url, **SANS_LIMITE
    ) as app:
        personnes = await ouvrir_parcours(app, 2 * t.detection_echantillons + 2, 11)
        calmes, charges = (
            personnes[: t.detection_echantillons + 1],
            personnes[-t.detection_echantillons - 1 :],
        )
        bruit = await ouvrir_parcours(app, 100, 12)  # the burst's own parcours
        lots = en_lots(preparer(app, bruit, int(t.rafale_par_s * t.delai_s)))
        async with httpx.AsyncClient(timeout=30) as client, app.client_http(COORDINATRICE) as coord:
            await _une_detection(app, client, coord, calmes[-1])  # warm-up
            mesures = [await _bornee(_une_detection(app, client, coord, p)) for p in calmes[:-1]]
            fin, rafale = asyncio.Event(), Rafale()
            envoi = asyncio.create_task(_rafale(app, lots, t.rafale_par_s, fin, rafale))
            await _une_detection(app, client, coord, charges[-1])  # the burst under way
            pendant: list[float | None] = []
            traces: list[decomposition.Trace] = []
            limite = time.monotonic() + t.delai_s  # a backlog that grows must not hold the run
            for p in charges[:-1]:
                if time.monotonic() > limite:
                    break
                pendant.append(await _bornee(_une_detection(app, client, coord, p, traces)))
            fin.set()
            await envoi
        await decomposition.completer(await app.temporal(), traces)
        app.verifier()
    _chiffres(r, mesures, "", "")
    _chiffres(
        r,
        pendant,
        f" pendant une rafale de {t.rafale_par_s} évén./s",
        f" ; pendant ce temps, une rafale d'inscriptions et d'ouvertures de droits sur 100 autres "
        f"parcours, par lots de {TAILLE_LOT} (chaque radiation est envoyée seule) : "
        f"{rafale.envoyes} événements envoyés en {rafale.duree_s:.0f} s "
        f"({rafale.par_s:.0f}/s, {rafale.acceptes} acceptés, {rafale.echecs} sans réponse, "
        f"{rafale.sautes} non envoyés faute de réponse aux {EN_VOL_MAX} lots précédents), "
        "chaque lot sans attendre la réponse du précédent",
    )
    r.notes.append(
        "Détection pendant la rafale, décomposée (historique du workflow de chaque parcours, "
        "horloge de la machine) : " + decomposition.texte(traces)
    )
    return r


def _chiffres(r: Resultat, mesures: list[float | None], quand: str, rafale: str) -> None:
    latences = [x for x in mesures if x is not None]
    manques = len(mesures) - len(latences)
    p95 = centile(latences, 95)
    methode = (
        f"{len(latences)} radiations France Travail signées (sur {len(mesures)} mesurées dans le "
        "temps imparti), une à la fois, chacune sur un "
        "parcours ouvert ; chronomètre lancé avant l'envoi, arrêté quand le parcours figure dans "
        f"la liste de la coordinatrice (GET /api/v1/parcours?motif={MOTIF}, territoire du "
        f"parcours), interrogée toutes les {ms(INTERVALLE_S):.0f} ms : "
        "enregistrement, répartiteur, signal, workflow, vigie, projection, modèle de lecture"
    )
    r.ajouter(
        Chiffre(
            f"Événement → liste de la coordination{quand} (p50)",
            ms(centile(latences, 50)),
            "ms",
            methode + rafale,
        )
    )
    r.ajouter(
        Chiffre(
            f"Événement → liste de la coordination{quand} (p95)",
            ms(p95),
            "ms",
            f"Même série ; maximum {ms(max(latences, default=0)):.0f} ms ; {manques} parcours "
            f"absent(s) de la liste après {DELAI_S:.0f} s (exclus)",
            cible="< 2 000 ms",
            atteinte=au_plus(p95, CIBLE_P95_S) and manques == 0,
        )
    )
