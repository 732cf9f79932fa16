"""`make sbom`: the CycloneDX SBOM of requirements.lock names every locked package at its
locked version, with its PURL and, the lock having them, its hashes."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from packaging.utils import canonicalize_name

from core.settings import ROOT

EPINGLE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.M)


def _verrouilles() -> dict[str, str]:
    texte = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    return {canonicalize_name(nom): version for nom, version in EPINGLE.findall(texte)}


def test_make_sbom_decrit_chaque_paquet_du_verrou(tmp_path: Path) -> None:
    sortie = tmp_path / "sbom" / "parcours.cdx.json"
    fait = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installe", "sbom", f"SBOM={sortie}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert fait.returncode == 0, fait.stdout + fait.stderr
    bom = json.loads(sortie.read_text(encoding="utf-8"))
    assert bom["bomFormat"] == "CycloneDX"
    assert bom["specVersion"] == "1.6"
    assert bom["metadata"]["component"]["name"] == "parcours"
    composants = {canonicalize_name(c["name"]): c for c in bom["components"]}
    verrouilles = _verrouilles()
    assert len(verrouilles) > 100  # the whole lock was read, not its first lines
    assert {nom: c["version"] for nom, c in composants.items()} == verrouilles
    for nom, composant in composants.items():
        assert composant["purl"] == f"pkg:pypi/{nom}@{verrouilles[nom]}", composant
    if "--hash=sha256:" in (ROOT / "requirements.lock").read_text(encoding="utf-8"):
        sans_empreinte = [n for n, c in composants.items() if not c.get("hashes")]
        assert sans_empreinte == []
