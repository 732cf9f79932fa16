"""Worker memory: the resident size of `python worker.py` while open parcours accumulate."""

from __future__ import annotations

import asyncio
import random
import time
from datetime import date

from bench import pile, scenario
from bench.contexte import Contexte, en_parallele
from bench.mesure import Chiffre, Resultat, au_plus, entier
from schemas.common import Acteur, Organisme, Role, Territoire
from schemas.parcours import Accueil
from services.parcours_client import ParcoursClient

NS = "bench-memoire"
CIBLE_MIO = 1024
CONCURRENCE = 24
LOT = 250  # parcours opened between two looks at the clock
CACHE = 1000  # the SDK's default: the setting under which the worker's memory grows at all
CLAIRE = Acteur(
    id=scenario.CLAIRE,
    nom="Claire Martin",
    role=Role.REFERENT,
    organisme=Organisme.CONSEIL_DEPARTEMENTAL,
    territoire=Territoire.BASSIN_ANNECIEN,
)


def paliers(total: int) -> list[int]:
    """Where the worker's memory is read: 10 %, 25 %, 50 % and 100 % of the parcours."""
    return sorted({max(1, total * p // 100) for p in (10, 25, 50, 100)})


async def _ouvrir(parcours: ParcoursClient, nombre: int, rng: random.Random) -> None:
    jour = date.today()

    async def un(_: int) -> None:
        corps = scenario.accueil(jour, rng, scenario.identifiant_france_travail(rng), None)
        await parcours.ouvrir(Accueil.model_validate(corps), CLAIRE)

    await en_parallele(nombre, CONCURRENCE, un)


async def _ouverts(app: pile.Application) -> int:
    client = await app.temporal()
    requete = "WorkflowType = 'Parcours' AND ExecutionStatus = 'Running'"
    return (await client.count_workflows(requete)).count


async def mesurer(ctx: Contexte) -> Resultat:
    t = ctx.tailles
    r = Resultat("Mémoire du worker")
    cache = {"WORKER_CACHE": str(CACHE)}
    async with pile.application(ctx.sous_dossier("memoire"), ctx.temporal, NS, **cache) as app:
        worker = app.processus["worker"].pid
        parcours = ParcoursClient(await app.temporal())
        rng = random.Random(12)
        depart, _ = pile.rss_mio(worker)
        releves: list[tuple[int, float]] = []
        ouverts, debut = 0, time.perf_counter()
        a_relever = paliers(t.memoire_parcours)
        delai = max(10.0, min(t.memoire_delai_s, ctx.reste_s() - 30))
        while ouverts < t.memoire_parcours and time.perf_counter() - debut < delai:
            lot = min(LOT, t.memoire_parcours - ouverts)
            await asyncio.wait_for(_ouvrir(parcours, lot, rng), t.delai_s)
            ouverts += lot
            if a_relever and ouverts >= a_relever[0]:
                releves.append((ouverts, pile.rss_mio(worker)[0]))
                a_relever = [p for p in a_relever if p > ouverts]
        duree = time.perf_counter() - debut
        await asyncio.sleep(5 if ouverts >= LOT else 1)
        final, pic = pile.rss_mio(worker)
        confirmes = await _ouverts(app)
        app.verifier()
    paliers_texte = ", ".join(f"{entier(n)} : {mio:.0f} Mio" for n, mio in releves)
    if ouverts < t.memoire_parcours:
        r.notes.append(
            f"Arrêté au bout de {delai:.0f} s d'ouvertures (borne de la mesure ou de "
            f"l'exécution) : {entier(ouverts)} parcours ouverts sur les "
            f"{entier(t.memoire_parcours)} prévus."
        )
    r.ajouter(
        Chiffre(
            f"RSS du worker, {entier(ouverts)} parcours ouverts, WORKER_CACHE={CACHE}",
            final,
            "Mio",
            f"VmRSS de « python worker.py » (/proc/<pid>/status) 5 s après l'ouverture du "
            f"dernier parcours ; {confirmes} workflows Parcours en cours selon Temporal ; "
            f"au départ {depart:.0f} Mio, puis {paliers_texte} ; pic (VmHWM) {pic:.0f} Mio ; "
            f"worker lancé avec WORKER_CACHE={CACHE} (au plus {entier(CACHE)} parcours gardés en "
            "mémoire entre deux tâches, le défaut du SDK) : le réglage sous lequel la mémoire "
            "croît ; avec le défaut de la plateforme (0), le worker ne garde aucun parcours",
            cible="< 1 024 Mio",
            atteinte=au_plus(final, CIBLE_MIO),
        )
    )
    r.ajouter(
        Chiffre(
            "Ouverture de parcours",
            ouverts / duree,
            "parcours/s",
            f"ParcoursClient.ouvrir (démarrage du workflow + update « etat_initial » : règles "
            f"chargées, première vigie), {CONCURRENCE} à la fois, projection comprise",
        )
    )
    return r
