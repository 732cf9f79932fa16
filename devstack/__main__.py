"""`make run`: Temporal (embedded unless TEMPORAL_ADDRESS is set), the partner simulator, the
worker and the web app, supervised as one group; demo data on first start. Ctrl-C stops all."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
import time
import urllib.request

from core.settings import get_settings
from core.temporal import TASK_QUEUE, connect
from devstack import temporal_dev
from devstack.demo.chargement import charger
from devstack.demo.comptes import MOT_DE_PASSE_DEMO, comptes_demo
from devstack.processus import Superviseur
from observatoire.planification import declencher_instantane

PY = sys.executable


def attendre_http(url: str, delai: float = 90.0) -> None:
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} ne répond pas après {delai:.0f} s")


def bandeau() -> None:
    s = get_settings()
    temporal_ui = (
        f"http://localhost:{s.temporal_ui_port}"
        if s.embedded_temporal
        else "(cluster externe : voir son interface)"
    )
    print(f"""
══════════════════════════════════════════════════════════════════════
  Parcours est prêt.
    Cockpit        {s.effective_public_url}/
    API (OpenAPI)  {s.effective_public_url}/docs
    Santé          {s.effective_public_url}/healthz
    Temporal UI    {temporal_ui}
    Simulateur     http://localhost:{s.simulator_port}/_simulateur/  (courriels, SMS, appels reçus)
  Comptes de démonstration (mot de passe : {MOT_DE_PASSE_DEMO}) :""")
    for c in comptes_demo():
        role = c.role.label + (f" — {c.organisme.label}" if c.organisme else "")
        lieu = c.territoire.label if c.territoire else "tous territoires"
        print(f"    {c.email:<40} {role} ({lieu})")
    print("  Ctrl-C arrête tout ; relancer « make run » reprend les mêmes données.")
    print("══════════════════════════════════════════════════════════════════════\n", flush=True)


async def demo() -> None:
    s = get_settings()
    marker = s.data_dir / "demo-chargee"
    if not s.demo_data or marker.exists():
        return
    print(
        "Chargement des données de démonstration (première fois, environ une minute)…", flush=True
    )
    client = await connect(s)
    loaded = await charger(s, client, TASK_QUEUE)
    await declencher_instantane(client)  # the observatoire's trends start from today
    marker.write_text(f"{loaded}\n")
    print(f"{loaded} parcours de démonstration chargés.", flush=True)


def _arret(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM (systemd, docker stop, kill) stops as cleanly as Ctrl-C


def main() -> None:
    signal.signal(signal.SIGTERM, _arret)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    s = get_settings()
    s.data_dir.mkdir(parents=True, exist_ok=True)
    sup = Superviseur()
    try:
        if s.embedded_temporal:
            sup.lancer("temporal", temporal_dev.commande(s))
            temporal_dev.attendre_port("127.0.0.1", s.temporal_port)
            temporal_dev.regler_retention(s)
        sup.lancer("simulateur", [PY, "-m", "simulator", "serve"])
        sup.lancer("worker", [PY, "worker.py"])
        sup.lancer(
            "web",
            [
                PY,
                "-m",
                "uvicorn",
                "web.app:create_app",
                "--factory",
                "--host",
                s.host,
                "--port",
                str(s.port),
                "--no-access-log",
            ],
        )
        attendre_http(f"http://127.0.0.1:{s.port}/healthz")
        asyncio.run(demo())
        bandeau()
        while (dead := sup.mort()) is None:
            time.sleep(1)
        print(f"Le processus « {dead.nom} » s'est arrêté : arrêt de l'ensemble.", flush=True)
    except KeyboardInterrupt:
        print("\nArrêt demandé…", flush=True)
    finally:
        sup.arreter()
        print("Tout est arrêté. Les données sont conservées dans", s.data_dir, flush=True)


if __name__ == "__main__":
    main()
