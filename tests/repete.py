"""Run the test suite (or a part of it) N times in a row and say which tests failed in any run:
``make test-repete N=5 CHEMIN=tests/workflows`` (``python -m tests.repete --help``).

A test that fails once in twenty runs is a flaky test, and a flaky suite stops being read. Each
run's time and the machine's load are printed beside it: on a shared machine a slow run may be
the neighbours, a failing one should not be.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Passe:
    numero: int
    code: int
    duree: float
    charge: str
    graine: str | None
    tests: int = 0
    tombes: list[str] = field(default_factory=list)
    rejoues: list[str] = field(default_factory=list)


def _nom(cas: ET.Element) -> str:
    nom, classe = cas.get("name", "?"), cas.get("classname", "")
    return f"{classe.replace('.', '/')}.py::{nom}" if classe else nom


def _tombes(rapport: Path) -> tuple[int, list[str], list[str]]:
    """Tests run, tests failed (or in error) and tests run again (pytest-rerunfailures: the
    report holds them twice) according to pytest's JUnit report."""
    if not rapport.exists():
        return 0, [], []
    cas = list(ET.parse(rapport).getroot().iter("testcase"))
    tombes = [_nom(c) for c in cas if c.find("failure") is not None or c.find("error") is not None]
    vus = Counter(_nom(c) for c in cas)
    return len(vus), tombes, [nom for nom, fois in vus.items() if fois > 1]


def passe(numero: int, args: list[str], dossier: Path, hasard: bool) -> Passe:
    rapport = dossier / f"passe-{numero}.xml"
    journal = dossier / f"passe-{numero}.log"
    commande = [sys.executable, "-m", "pytest", "-q", "-rfER", f"--junitxml={rapport}", *args]
    graine = None
    if hasard:  # a new seed each run, chosen here: « -q » hides the one pytest-randomly prints
        graine = str(random.randrange(2**32))
        commande[3:3] = ["-p", "randomly", f"--randomly-seed={graine}"]
    charge = " ".join(f"{x:.1f}" for x in os.getloadavg())
    debut = time.monotonic()
    with journal.open("w") as sortie:
        code = subprocess.call(commande, stdout=sortie, stderr=subprocess.STDOUT)
    duree = time.monotonic() - debut
    return Passe(numero, code, duree, charge, graine, *_tombes(rapport))


def ligne(p: Passe) -> str:
    verdict = "vert" if p.code == 0 else f"ROUGE (code {p.code}, {len(p.tombes)} tombé(s))"
    graine = f", graine {p.graine}" if p.graine else ""
    if p.rejoues:
        verdict += f", {len(p.rejoues)} rejoué(s)"
    return (
        f"passe {p.numero:>3} : {verdict}, {p.tests} tests en {p.duree:.1f} s "
        f"(charge au départ {p.charge}{graine})"
    )


def main() -> int:
    analyse = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analyse.add_argument("-n", type=int, default=5, help="nombre de passes (5)")
    analyse.add_argument("--hasard", action="store_true", help="ordre aléatoire à chaque passe")
    analyse.add_argument("pytest", nargs="*", help="chemins et options passés à pytest")
    options = analyse.parse_args()
    dossier = Path(tempfile.mkdtemp(prefix="test-repete-"))
    print(f"{options.n} passe(s) de pytest {' '.join(options.pytest)} ; journaux : {dossier}")
    passes = []
    for numero in range(1, options.n + 1):
        passes.append(passe(numero, options.pytest, dossier, options.hasard))
        print(ligne(passes[-1]), flush=True)
    par_test: dict[str, list[int]] = defaultdict(list)
    for p in passes:
        for nom in p.tombes:
            par_test[nom].append(p.numero)
    rouges = [p for p in passes if p.code != 0]
    print(f"\n{len(passes) - len(rouges)} passe(s) verte(s) sur {len(passes)}.")
    for nom, numeros in sorted(par_test.items()):
        print(f"  tombé {len(numeros)} fois (passes {', '.join(map(str, numeros))}) : {nom}")
    rejoues: dict[str, list[int]] = defaultdict(list)
    for p in passes:
        for nom in p.rejoues:
            rejoues[nom].append(p.numero)
    for nom, numeros in sorted(rejoues.items()):
        print(f"  rejoué {len(numeros)} fois (passes {', '.join(map(str, numeros))}) : {nom}")
    for p in rouges:
        if not p.tombes:  # collection error, interrupted run...
            print(f"  passe {p.numero} rouge sans test tombé : voir {dossier}/passe-{p.numero}.log")
    return 1 if rouges else 0


if __name__ == "__main__":
    sys.exit(main())
