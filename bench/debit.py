"""End-to-end throughput: full parcours through the HTTP API on the embedded stack, then, on
the same Temporal server, a bare workflow with as many Updates and activities — and the ratio."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from datetime import date

from temporalio.client import Client

from bench import historique, nu, pile, scenario
from bench.contexte import Contexte, en_parallele
from bench.mesure import Chiffre, Resultat, au_moins, centile, ms

NS_APP, NS_NU = "bench-debit", "bench-nu"
CIBLE_RATIO = 0.6


async def _app(ctx: Contexte, r: Resultat) -> tuple[float, historique.Cout, dict[str, float]]:
    t = ctx.tailles
    async with pile.application(ctx.sous_dossier("debit"), ctx.temporal, NS_APP) as app:
        clients = {c: app.client_http(c) for c in (scenario.CLAIRE, scenario.KARIM)}
        rng, jour = random.Random(74), date.today()
        await scenario.parcours_complet(clients, jour, rng)  # warm-up, not counted
        compteur = app.compteur_cpu(ctx.temporal)
        compteur.depart()
        debut = time.perf_counter()
        trajets = await asyncio.wait_for(
            en_parallele(
                t.debit_parcours,
                t.debit_concurrence,
                lambda _: scenario.parcours_complet(clients, jour, rng),
            ),
            t.delai_s,
        )
        duree = time.perf_counter() - debut
        cpu = compteur.par(len(trajets))
        for c in clients.values():
            await c.aclose()
        await asyncio.sleep(1)  # visibility catches up
        cout = await historique.cout_par_parcours(await app.temporal())
    commandes = sum(tr.commandes for tr in trajets)
    latences = [x for tr in trajets for x in tr.latences_s]
    debit = len(trajets) / duree
    conc = f"{t.debit_parcours} parcours complets, {t.debit_concurrence} à la fois"
    r.ajouter(
        Chiffre(
            "Parcours complets par l'API",
            debit,
            "parcours/s",
            f"{conc} ; {commandes // len(trajets)} commandes HTTP chacun (accueil → sortie, "
            "deux référents, jetons d'API) ; pile embarquée : temporal start-dev (SQLite WAL), "
            "worker.py, uvicorn, simulateur, modèle de lecture SQLite",
        )
    )
    r.ajouter(
        Chiffre("Commandes par l'API", commandes / duree, "commandes/s", f"{conc} ; {cout.texte()}")
    )
    r.ajouter(
        Chiffre(
            "Latence d'une commande (p50 / p95)",
            ms(centile(latences, 50)),
            f"ms / {ms(centile(latences, 95)):.0f} ms",
            "Temps de réponse HTTP de chaque commande (validation, audit, Update Temporal, état "
            "renvoyé), mesuré par le client",
        )
    )
    return debit, cout, cpu


async def _nu(ctx: Contexte, cout: historique.Cout) -> tuple[float, dict[str, float]]:
    t = ctx.tailles
    dossier = ctx.sous_dossier("nu")
    worker = pile.lancer(
        "worker-nu", [pile.PY, "-m", "bench.nu", ctx.temporal.adresse, NS_NU], {}, dossier
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
        await asyncio.wait_for(
            en_parallele(
                t.debit_parcours,
                t.debit_concurrence,
                lambda _: nu.un_parcours(client, f"nu-{uuid.uuid4()}", etapes),
            ),
            t.delai_s,
        )
        debit = t.debit_parcours / (time.perf_counter() - debut)
        return debit, compteur.par(t.debit_parcours)
    finally:
        worker.arreter()


async def mesurer(ctx: Contexte) -> Resultat:
    r = Resultat("Débit de bout en bout")
    debit_app, cout, cpu_app = await _app(ctx, r)
    debit_nu, cpu_nu = await _nu(ctx, cout)
    r.ajouter(
        Chiffre(
            "Temporal nu, même charge",
            debit_nu,
            "parcours/s",
            f"Même serveur Temporal, même nombre et même concurrence ; un workflow trivial "
            f"(bench/nu.py) recevant {round(cout.updates)} updates qui exécutent en tout "
            f"{round(cout.activites)} activités triviales, sans l'application ; son worker est "
            "un processus à part, comme worker.py",
        )
    )
    r.ajouter(
        Chiffre(
            "CPU par parcours : application / Temporal nu",
            sum(cpu_app.values()),
            f"ms / {sum(cpu_nu.values()):.0f} ms",
            f"Temps CPU (utilisateur + système, /proc/<pid>/stat) de chaque processus pendant "
            f"la série, divisé par le nombre de parcours — application : "
            f"{pile.texte_cpu(cpu_app)} ; Temporal nu : {pile.texte_cpu(cpu_nu)}",
        )
    )
    ratio = debit_app / debit_nu
    r.ajouter(
        Chiffre(
            "Rapport application / Temporal nu",
            ratio,
            "",
            "Parcours/s de l'application divisés par ceux de Temporal nu, dans la même exécution",
            cible="≥ 0,6",
            atteinte=au_moins(ratio, CIBLE_RATIO),
        )
    )
    return r
