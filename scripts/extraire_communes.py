"""Extract the communes of Haute-Savoie from the official `@etalab/decoupage-administratif`
npm package (INSEE COG + La Poste postcodes + EPCI membership) into
referentiels/territoires/communes_74.json. Run it again when a new version of the package
comes out (communes merge every year); rules/bassins.yaml maps each EPCI to a bassin.

    python scripts/extraire_communes.py [--version 6.0.0]

Needs `npm` (only to download the package into a temporary directory; nothing is installed).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

PAQUET = "@etalab/decoupage-administratif"
DEPARTEMENT = "74"
SORTIE = Path(__file__).resolve().parent.parent / "referentiels/territoires/communes_74.json"


def telecharger(version: str, dossier: Path) -> Path:
    """`npm pack` writes the package's tarball without installing it anywhere."""
    nom = (
        subprocess.run(
            ["npm", "pack", f"{PAQUET}@{version}", "--silent"],
            cwd=dossier,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    with tarfile.open(dossier / nom) as archive:
        archive.extractall(dossier, filter="data")
    return dossier / "package"


def extraire(paquet: Path) -> dict[str, Any]:
    communes = json.loads((paquet / "data/communes.json").read_text(encoding="utf-8"))
    epcis = json.loads((paquet / "data/epci.json").read_text(encoding="utf-8"))
    version = json.loads((paquet / "package.json").read_text(encoding="utf-8"))["version"]
    # Only current communes: the « communes déléguées » of merged communes share their
    # INSEE code space but are not where people live administratively.
    du_departement = [
        c
        for c in communes
        if c.get("departement") == DEPARTEMENT and c["type"] == "commune-actuelle"
    ]
    codes = {c["code"] for c in du_departement}
    epci_de: dict[str, str] = {}
    noms_epci: dict[str, str] = {}
    for epci in epcis:
        for membre in epci["membres"]:
            if membre["code"] in codes:
                epci_de[membre["code"]] = epci["code"]
                noms_epci[epci["code"]] = epci["nom"]
    return {
        "source": f"{PAQUET} {version} (npm)",
        "departement": DEPARTEMENT,
        "epci": dict(sorted(noms_epci.items())),
        "communes": [
            {
                "insee": c["code"],
                "nom": c["nom"],
                "codes_postaux": sorted(c.get("codesPostaux", [])),
                "epci": epci_de.get(c["code"]),
            }
            for c in sorted(du_departement, key=lambda c: str(c["code"]))
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default="6.0.0", help="version du paquet npm")
    parser.add_argument("--sortie", type=Path, default=SORTIE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        donnees = extraire(telecharger(args.version, Path(tmp)))
    texte = json.dumps(donnees, ensure_ascii=False, indent=1)
    args.sortie.write_text(texte + "\n", encoding="utf-8")
    sys.stdout.write(f"{len(donnees['communes'])} communes écrites dans {args.sortie}\n")


if __name__ == "__main__":
    main()
