"""« make test » : les dépendances verrouillées (requirements.lock) ont-elles une vulnérabilité
connue ? pip-audit, avec le service de vulnérabilités de PyPI.

pip-audit lit les vulnérabilités de chaque version sur /pypi/<nom>/<version>/json. Là où ce
point n'est pas servi (miroir ou proxy qui ne sert que /pypi/<nom>/json et l'index), pip-audit
saute le paquet ; ce script se rabat alors sur /pypi/<nom>/json, dont la liste
« vulnerabilities » vaut pour la dernière version publiée : le paquet est vérifié si la version
verrouillée est cette dernière, sinon il est signalé « non vérifié » (sans faire échouer).
Échec : une vulnérabilité connue, ou aucun paquet vérifié du tout (PyPI injoignable).

    .venv/bin/python scripts/audit_dependances.py [requirements.lock]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

PYPI = "https://pypi.org/pypi/{nom}/json"


def verrouillees(lock: Path) -> dict[str, str]:
    return {
        nom.strip().lower(): version.split()[0]
        for nom, _, version in (
            ligne.partition("==")
            for ligne in lock.read_text().splitlines()
            if "==" in ligne and not ligne.startswith((" ", "#"))
        )
    }


def pip_audit(lock: Path) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as dossier:
        sortie = Path(dossier) / "audit.json"
        subprocess.run(
            [
                *(sys.executable, "-m", "pip_audit", "-r", str(lock)),
                *("--no-deps", "--disable-pip", "--progress-spinner", "off"),
                *("--format", "json", "--output", str(sortie)),
            ],
            check=False,  # a vulnerability makes it exit 1: we read the report either way
            capture_output=True,
        )
        if not sortie.is_file():
            raise SystemExit("pip-audit n'a produit aucun rapport (est-il installé ?)")
        dependances: list[dict[str, Any]] = json.loads(sortie.read_text())["dependencies"]
        return dependances


def derniere_version(nom: str, version: str) -> tuple[str, list[str] | None]:
    """(nom, identifiants des vulnérabilités) ; None : impossible à vérifier ici."""
    try:
        with urllib.request.urlopen(PYPI.format(nom=nom), timeout=60) as reponse:
            projet = json.load(reponse)
    except OSError:
        return nom, None
    if projet["info"]["version"] != version:
        return nom, None
    return nom, [v["id"] for v in projet.get("vulnerabilities", []) if not v.get("withdrawn")]


def main(lock: Path) -> int:
    versions = verrouillees(lock)
    vulnerables: dict[str, list[str]] = {}
    sautes = []
    verifies = 0
    for dep in pip_audit(lock):
        nom = dep["name"].lower()
        if "skip_reason" in dep:
            sautes.append(nom)
            continue
        verifies += 1
        if dep["vulns"]:
            vulnerables[nom] = [v["id"] for v in dep["vulns"]]
    non_verifies = []
    with ThreadPoolExecutor(8) as pool:
        for nom, ids in pool.map(lambda n: derniere_version(n, versions[n]), sautes):
            if ids is None:
                non_verifies.append(nom)
            else:
                verifies += 1
                if ids:
                    vulnerables[nom] = ids
    for nom, ids in sorted(vulnerables.items()):
        print(f"VULNÉRABLE  {nom}=={versions.get(nom, '?')} : {', '.join(ids)}")
    if non_verifies:
        print(
            f"non vérifiés ({len(non_verifies)}, PyPI ne sert ici que la dernière version) : "
            + ", ".join(f"{n}=={versions[n]}" for n in sorted(non_verifies))
        )
    print(f"{verifies} paquet(s) vérifié(s) sur {len(versions)}, {len(vulnerables)} vulnérable(s)")
    if vulnerables:
        return 1
    if verifies == 0:
        print("Aucun paquet n'a pu être vérifié : PyPI est-il joignable ?")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "requirements.lock")))
