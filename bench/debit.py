"""End-to-end throughput: full parcours through the HTTP API on the embedded stack, with the
worker as configured by default and with a workflow cache; then, on the same Temporal server,
a bare workflow with as many Updates and activities — and the ratios."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from dataclasses import dataclass
from datetime import date

import httpx
from temporalio.client import Client

from bench import historique, nu, pile, scenario
from bench.contexte import Contexte, en_parallele
from bench.mesure import Chiffre, Resultat, au_moins, centile, ms
from core.settings import Settings

NS_APP, NS_CACHE, NS_NU = "bench-debit", "bench-debit-cache", "bench-nu"
CIBLE_RATIO = 0.6
CACHE = 1000  # the SDK's default, which the bare worker uses
DELAI_COMMANDE_S = 60.0


@dataclass
class Serie:
    reglage: str  # how the worker's cache was set, in words
    parcours: int
    commandes: int
    duree_s: float
    latences_s: list[float]
    cpu: dict[str, float]  # ms per parcours, by process
    rss_pic_mio: float
    cout: historique.Cout
    echecs: list[str]  # parcours that could not be carried to the end, and why

    @property
    def debit(self) -> float:
        return self.parcours / self.duree_s


async def _essayer(
    clients: dict[str, httpx.AsyncClient], jour: date, rng: random.Random
) -> scenario.Trajet | str:
    """One parcours, or why it stopped (a command refused, or unanswered for a minute)."""
    try:
        return await scenario.parcours_complet(clients, jour, rng)
    except scenario.EtapeRefusee as err:
        return str(err)
    except httpx.TimeoutException as err:
        return f"commande sans réponse après {DELAI_COMMANDE_S:.0f} s ({type(err).__name__})"


async def _serie(ctx: Contexte, namespace: str, cache: int | None) -> Serie:
    t = ctx.tailles
    extra = {"WORKER_CACHE": str(cache)} if cache is not None else {}
    dossier = ctx.sous_dossier(namespace)
    async with pile.application(dossier, ctx.temporal, namespace, **extra) as app:
        clients = {
            c: app.client_http(c, delai_s=DELAI_COMMANDE_S)
            for c in (scenario.CLAIRE, scenario.KARIM)
        }
        rng, jour = random.Random(74), date.today()
        await _essayer(clients, jour, rng)  # warm-up, not counted
        compteur = app.compteur_cpu(ctx.temporal)
        compteur.depart()
        debut = time.perf_counter()
        issues = await en_parallele(
            t.debit_parcours,
            t.debit_concurrence,
            lambda _: _essayer(clients, jour, rng),
            t.delai_s,
        )
        trajets = [x for x in issues if isinstance(x, scenario.Trajet)]
        duree = time.perf_counter() - debut
        cpu = compteur.par(len(trajets))
        _, pic = pile.rss_mio(app.processus["worker"].pid)
        for c in clients.values():
            await c.aclose()
        await asyncio.sleep(1)  # visibility catches up
        cout = await historique.cout_par_parcours(await app.temporal())
        app.verifier()
    reglage = f"WORKER_CACHE={app.settings.worker_cache}"
    if cache is None:
        reglage += " (défaut)"
    return Serie(
        reglage,
        len(trajets),
        sum(tr.commandes for tr in trajets),
        duree,
        [x for tr in trajets for x in tr.latences_s],
        cpu,
        pic,
        cout,
        [x for x in issues if isinstance(x, str)],
    )


async def _nu(ctx: Contexte, cout: historique.Cout) -> tuple[float, dict[str, float]]:
    t = ctx.tailles
    worker = pile.lancer(
        "worker-nu", [pile.PY, "-m", "bench.nu", ctx.temporal.adresse, NS_NU], {}, ctx.dossier
    )
    try:
        await pile.attendre_journal(worker, "Worker nu prêt")
        client = await Client.connect(ctx.temporal.adresse, namespace=NS_NU)
        etapes = nu.plan(round(cout.updates), round(cout.activites))
        await nu.un_parcours(client, f"nu-{uuid.uuid4()}", etapes)  # warm-up
        compteur = pile.CompteurCpu(
            {"worker": worker.pid, "temporal": ctx.temporal.processus.pid, "client": None}
        )
        compteur.depart()
        debut = time.perf_counter()
        faits = await en_parallele(
            t.debit_parcours,
            t.debit_concurrence,
            lambda _: nu.un_parcours(client, f"nu-{uuid.uuid4()}", etapes),
            t.delai_s,
        )
        return len(faits) / (time.perf_counter() - debut), compteur.par(len(faits))
    finally:
        worker.arreter()


def _chiffres(r: Resultat, s: Serie, ctx: Contexte) -> None:
    t = ctx.tailles
    conc = f"{s.parcours} parcours complets, {t.debit_concurrence} à la fois, {s.reglage}"
    r.ajouter(
        Chiffre(
            f"Parcours complets par l'API, {s.reglage}",
            s.debit,
            "parcours/s",
            f"{conc} ; {s.commandes // max(s.parcours, 1)} commandes HTTP chacun (accueil → "
            "sortie, deux référents, jetons d'API) ; pile embarquée : temporal start-dev "
            "(SQLite WAL), worker.py, uvicorn, simulateur, modèle de lecture SQLite ; "
            f"{s.commandes / s.duree_s:.1f} commandes/s",
        )
    )
    raison = f" ; premier : {s.echecs[0][:200]}" if s.echecs else ""
    r.ajouter(
        Chiffre(
            f"Parcours non menés au bout, {s.reglage}",
            len(s.echecs),
            f"sur {len(s.echecs) + s.parcours}",
            "Parcours dont une commande a été refusée ou est restée sans réponse "
            f"{DELAI_COMMANDE_S:.0f} s (exclus du débit){raison}",
            cible="0",
            atteinte=not s.echecs,
        )
    )
    r.ajouter(
        Chiffre(
            f"Latence d'une commande (p50 / p95), {s.reglage}",
            ms(centile(s.latences_s, 50)),
            f"ms / {ms(centile(s.latences_s, 95)):.0f} ms",
            "Temps de réponse HTTP de chaque commande (validation, audit, Update Temporal, état "
            f"renvoyé), mesuré par le client ; pic de mémoire du worker {s.rss_pic_mio:.0f} Mio",
        )
    )


async def mesurer(ctx: Contexte) -> Resultat:
    r = Resultat("Débit de bout en bout")
    defaut = await _serie(ctx, NS_APP, None)
    series = [defaut]
    if Settings().worker_cache != CACHE:
        series.append(await _serie(ctx, NS_CACHE, CACHE))
    for s in series:
        _chiffres(r, s, ctx)
    # what a parcours costs, from the series where every parcours ended (the cached one)
    cout = min(series, key=lambda s: len(s.echecs)).cout
    debit_nu, cpu_nu = await _nu(ctx, cout)
    r.ajouter(
        Chiffre(
            "Temporal nu, même charge",
            debit_nu,
            "parcours/s",
            "Même serveur Temporal, même nombre et même concurrence ; un workflow trivial "
            f"(bench/nu.py) recevant {round(cout.updates)} updates qui exécutent en tout "
            f"{round(cout.activites)} activités triviales, sans l'application ; son worker est "
            f"un processus à part, comme worker.py, avec le cache du SDK ({CACHE}). Ce que fait "
            f"un parcours de l'application : {cout.texte()}",
        )
    )
    for s in series:
        r.ajouter(
            Chiffre(
                f"CPU par parcours, {s.reglage}",
                sum(s.cpu.values()),
                "ms",
                "Temps CPU (utilisateur + système, /proc/<pid>/stat) de chaque processus pendant "
                f"la série, divisé par le nombre de parcours : {pile.texte_cpu(s.cpu)}",
            )
        )
    r.ajouter(
        Chiffre(
            "CPU par parcours, Temporal nu",
            sum(cpu_nu.values()),
            "ms",
            f"Même mesure : {pile.texte_cpu(cpu_nu)}",
        )
    )
    for s in series:
        ratio = s.debit / debit_nu
        r.ajouter(
            Chiffre(
                f"Rapport application / Temporal nu, {s.reglage}",
                ratio,
                "",
                "Parcours/s de l'application divisés par ceux de Temporal nu, même exécution",
                cible="≥ 0,6",
                atteinte=au_moins(ratio, CIBLE_RATIO),
            )
        )
    return r
