"""`make bench` must keep working: its smallest configuration, end to end on the real stack
(Temporal dev server, worker, web app, simulator, SQLite), for the measures that use every
part of bench/ (detection and memory reuse the events' and the stack's code). A benchmark is
not a test: the figures are not checked, only that each measure ran and said how."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.settings import ROOT

MESURES = ("debit", "evenements", "cockpit")


@pytest.mark.timeout(180)
def test_le_bench_minimal_produit_son_rapport(tmp_path: Path) -> None:
    rapport = tmp_path / "bench.md"
    options = ["--taille", "minimal", "--sans-postgres", "--mesures", ",".join(MESURES)]
    sortie = subprocess.run(
        [sys.executable, "-m", "bench", *options, "--sortie", str(rapport)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=170,
        check=False,
    )
    assert sortie.returncode == 0, sortie.stdout[-3000:] + sortie.stderr[-3000:]
    texte = rapport.read_text()
    for titre in ("Débit de bout en bout", "Événements des partenaires", "Cockpit à 300 parcours"):
        assert f"## {titre}" in texte
    assert "Rapport application / Temporal nu" in texte
    assert "| — |" not in texte  # every figure was measured
    assert "Méthodes :" in sortie.stdout
