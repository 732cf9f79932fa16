"""`make bench` (`python -m bench`): the platform measured on this machine, each figure with its
method; the table is printed and, after a complete run, written to docs/bench.md.

    python -m bench                       toutes les mesures, tailles complètes (< 15 min)
    python -m bench --rapide              tailles réduites (environ 3 min)
    python -m bench --mesures debit,cockpit
    python -m bench --sortie /tmp/bench.md   écrire le rapport ailleurs (ou en plus d'un essai)
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path

from bench import (
    cockpit,
    debit,
    detection,
    evenements,
    imports,
    machine,
    memoire,
    pile,
    postgres,
    rapport,
)
from bench.contexte import TAILLES, Contexte
from bench.mesure import Resultat
from core.settings import ROOT

Mesure = Callable[[Contexte], Awaitable[Resultat]]

MESURES: dict[str, tuple[str, Mesure]] = {
    "debit": (debit.NS_APP, debit.mesurer),
    "evenements": (evenements.NS, evenements.mesurer),
    "detection": (detection.NS, detection.mesurer),
    "detection_postgres": (detection.NS_POSTGRES, detection.mesurer_postgres),
    "cockpit": (cockpit.NS, cockpit.mesurer),
    "imports": (imports.NS, imports.mesurer),
    "memoire": (memoire.NS, memoire.mesurer),
}
NAMESPACES_EN_PLUS = {"debit": [debit.NS_CACHE, debit.NS_NU], "cockpit": cockpit.NAMESPACES}
RAPPORT = ROOT / "docs" / "bench.md"
AVEC_POSTGRES = {"cockpit", "detection_postgres"}  # the measures that start a cluster


def _analyser(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Mesures de performance de Parcours (pas des tests)"
    )
    parser.add_argument("--rapide", action="store_true", help="tailles réduites (essai)")
    parser.add_argument(
        "--taille", choices=sorted(TAILLES), help="complet (défaut), rapide ou minimal"
    )
    parser.add_argument(
        "--mesures",
        default=",".join(MESURES),
        help=f"mesures à lancer, séparées par des virgules (parmi {', '.join(MESURES)})",
    )
    parser.add_argument(
        "--sans-postgres", action="store_true", help="cockpit et détection sur SQLite seul"
    )
    parser.add_argument("--sortie", type=Path, help="fichier Markdown du rapport")
    parser.add_argument("--garder", action="store_true", help="garder le dossier temporaire")
    args = parser.parse_args(argv)
    args.taille = args.taille or ("rapide" if args.rapide else "complet")
    args.mesures = [m.strip() for m in args.mesures.split(",") if m.strip()]
    inconnues = [m for m in args.mesures if m not in MESURES]
    if inconnues:
        parser.error(f"mesure(s) inconnue(s) : {', '.join(inconnues)}")
    return args


def compiler_le_code() -> None:
    """Bytecode for every module, as a normal installation has it: where PYTHONDONTWRITEBYTECODE
    is set and nothing was compiled, the worker would compile the workflow modules from source
    for each workflow it starts (its sandbox imports them afresh) — not what we measure."""
    for chemin in sorted(ROOT.iterdir()):
        if chemin.is_dir() and (chemin / "__init__.py").exists() and chemin.name != "tests":
            compileall.compile_dir(chemin, quiet=1)
        elif chemin.suffix == ".py":
            compileall.compile_file(chemin, quiet=1)


def _namespaces(mesures: list[str]) -> list[str]:
    return [ns for m in mesures for ns in [MESURES[m][0], *NAMESPACES_EN_PLUS.get(m, [])]]


async def _lancer(args: argparse.Namespace, dossier: Path, debut: float) -> list[Resultat]:
    resultats: list[Resultat] = []
    async with AsyncExitStack() as pile_async:
        temporal = await pile_async.enter_async_context(
            pile.temporal(dossier, _namespaces(args.mesures))
        )
        pg = None
        if AVEC_POSTGRES & set(args.mesures) and not args.sans_postgres:
            pg = pile_async.enter_context(postgres.grappe())
        ctx = Contexte(dossier, temporal, TAILLES[args.taille], pg, debut)
        for nom in args.mesures:
            print(f"\n▶ {nom} …", flush=True)
            debut = time.perf_counter()
            resultat = await MESURES[nom][1](ctx)
            resultat.duree_s = time.perf_counter() - debut
            print(rapport.tableau([resultat]), flush=True)
            resultats.append(resultat)
    return resultats


def main(argv: list[str] | None = None) -> int:
    args = _analyser(argv)
    debut, depart, charge = time.perf_counter(), time.monotonic(), machine.charge()
    compiler_le_code()
    dossier = Path(tempfile.mkdtemp(prefix="parcours-bench-"))
    try:
        resultats = asyncio.run(_lancer(args, dossier, depart))
    finally:
        if not args.garder:
            shutil.rmtree(dossier, ignore_errors=True)
        else:
            print(f"Dossier gardé : {dossier}")
    duree = time.perf_counter() - debut
    print("\n" + rapport.tableau(resultats))
    print(f"\nDurée totale : {duree / 60:.1f} min", flush=True)
    complet = args.taille == "complet" and args.mesures == list(MESURES)
    cible = args.sortie or (RAPPORT if complet else None)
    if cible is not None:
        avec_pg = (
            bool(AVEC_POSTGRES & set(args.mesures))
            and not args.sans_postgres
            and postgres.disponible()
        )
        pg = postgres.version() if avec_pg else None
        rapport.ecrire(cible, rapport.markdown(resultats, args.taille, duree, pg, charge))
        print(f"Rapport écrit : {cible}")
    else:
        print("Rapport non écrit (exécution partielle ; --sortie FICHIER pour l'écrire)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
