"""`python -m simulator …`: serve the simulator, send a signed event, switch a failure mode,
list what was received."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NoReturn, get_args

import httpx
import uvicorn

from core.partners import load_partners
from core.settings import Settings
from simulator import emetteur
from simulator.app import create_app, store_par_defaut
from simulator.smtp import CapteurSmtp
from simulator.store import NomMode


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m simulator", description="Simulateur des systèmes partenaires."
    )
    sub = parser.add_subparsers(dest="commande")
    sub.add_parser("serve", help="lancer le simulateur HTTP et SMTP (par défaut)")
    envoyer = sub.add_parser("envoyer", help="envoyer un événement signé à la plateforme")
    envoyer.add_argument("--partenaire", required=True, help="ex. employeur, caf, france-travail")
    envoyer.add_argument("--type", required=True, help="ex. fr.employeur.contrat.rompu")
    envoyer.add_argument(
        "--sujet", required=True, help="identifiant de la personne chez le partenaire"
    )
    envoyer.add_argument("--data", default="{}", help="données JSON de l'événement")
    envoyer.add_argument("--time", help="quand le fait a eu lieu (RFC 3339), maintenant par défaut")
    envoyer.add_argument("--id", help="identifiant de l'événement, aléatoire par défaut")
    mode = sub.add_parser("mode", help="changer le mode de fonctionnement d'un partenaire")
    mode.add_argument("partenaire")
    mode.add_argument("mode", choices=get_args(NomMode))
    mode.add_argument("--pourcentage", type=int, default=50, help="part d'échecs (instable)")
    mode.add_argument("--delai", type=float, default=15.0, help="secondes d'attente (lent)")
    recus = sub.add_parser("recus", help="afficher les appels reçus par le simulateur")
    recus.add_argument("--partenaire")
    return parser


def _quitter(message: str) -> NoReturn:
    print(message, file=sys.stderr)
    raise SystemExit(1)


def _afficher(donnees: Any) -> None:
    print(json.dumps(donnees, ensure_ascii=False, indent=2))


def _interrompre(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


ECRITURE_DIFFEREE_S = 0.5  # at most this much received is lost if the simulator is killed


def serve(settings: Settings) -> None:
    store = store_par_defaut(settings, differe_s=ECRITURE_DIFFEREE_S)
    capteur = CapteurSmtp(store, settings.smtp_host, settings.smtp_port)
    try:
        capteur.start()
    except OSError as err:
        _quitter(f"Port SMTP {settings.smtp_host}:{settings.smtp_port} indisponible ({err}).")
    print(
        f"Simulateur : http://127.0.0.1:{settings.simulator_port}/_simulateur/ — "
        f"SMTP {settings.smtp_host}:{settings.smtp_port}"
    )
    config = uvicorn.Config(
        create_app(settings, store),
        host="127.0.0.1",
        port=settings.simulator_port,
        log_level="warning",
        timeout_graceful_shutdown=2,
    )
    # uvicorn re-raises the signal it caught once stopped: SIGTERM must then unwind like
    # Ctrl-C, or the process dies before the SMTP catcher is stopped.
    signal.signal(signal.SIGTERM, _interrompre)
    try:
        uvicorn.Server(config).run()
    except KeyboardInterrupt:
        pass
    finally:
        capteur.stop()
        store.fermer()
        print("Simulateur arrêté.")


def envoyer(settings: Settings, args: argparse.Namespace) -> None:
    partners = load_partners(settings.partners_file, settings.effective_partner_base_url)
    if args.partenaire not in partners:
        _quitter(f"Partenaire inconnu : {args.partenaire} (connus : {', '.join(partners)})")
    try:
        data = json.loads(args.data)
        if not isinstance(data, dict):
            raise ValueError('--data doit être un objet JSON, ex. \'{"motif": "faute grave"}\'')
        moment = datetime.fromisoformat(args.time) if args.time else None
        evenement = emetteur.construire_evenement(
            partners[args.partenaire],
            args.type,
            args.sujet,
            data,
            moment=moment,
            identifiant=args.id,
        )
    except ValueError as err:  # bad JSON, bad time, partner without secret
        _quitter(f"Événement invalide : {err}")
    plateforme = emetteur.plateforme(settings)
    try:
        envoi = asyncio.run(emetteur.envoyer(plateforme, partners[args.partenaire], evenement))
    except httpx.HTTPError as err:
        _quitter(f"Plateforme injoignable à {plateforme} ({type(err).__name__}).")
    print(
        f"Événement {evenement['id']} envoyé à {emetteur.url_evenements(plateforme, args.partenaire)}"
    )
    print(f"Réponse de la plateforme : HTTP {envoi.statut_http}")
    _afficher(envoi.reponse)
    if envoi.statut_http >= 400:
        raise SystemExit(1)


def url_simulateur(settings: Settings) -> str:
    return os.environ.get("SIMULATOR_URL") or f"http://127.0.0.1:{settings.simulator_port}"


def _appeler(settings: Settings, methode: str, chemin: str, **kwargs: Any) -> Any:
    url = url_simulateur(settings) + chemin
    try:
        response = httpx.request(methode, url, timeout=10, **kwargs)
    except httpx.HTTPError:
        _quitter(f"Simulateur injoignable à {url} : est-il lancé (python -m simulator) ?")
    try:
        corps = response.json()
    except ValueError:
        corps = {"message": response.text[:200]}
    if response.status_code >= 400:
        _quitter(f"Erreur {response.status_code} : {corps.get('message')}")
    return corps


def mode(settings: Settings, args: argparse.Namespace) -> None:
    corps = {"mode": args.mode, "pourcentage": args.pourcentage, "delai_s": args.delai}
    resultat = _appeler(settings, "PUT", f"/_simulateur/modes/{args.partenaire}", json=corps)
    print(f"{args.partenaire} est maintenant en mode « {resultat['mode']} ».")


def recus(settings: Settings, args: argparse.Namespace) -> None:
    params = {"partenaire": args.partenaire} if args.partenaire else {}
    liste = _appeler(settings, "GET", "/_simulateur/recus", params=params)
    if not liste:
        print("Aucun appel reçu.")
    for r in liste:
        print(
            f"{r['premier_appel']}  {r['partenaire']:<15} {r['operation']:<22} "
            f"clé {r['cle']} — {r['appels']} appel(s)"
        )
        print(f"    {json.dumps(r['corps'], ensure_ascii=False)}")


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    settings = Settings()  # read now: tests and scripts set the environment just before
    match args.commande:
        case "envoyer":
            envoyer(settings, args)
        case "mode":
            mode(settings, args)
        case "recus":
            recus(settings, args)
        case _:
            serve(settings)
