"""Passwords are hashed at argon2id's full cost by the platform: the tests hash theirs at the
lowest cost (tests/conftest.py), and that must never reach a process of the platform."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from argon2 import profiles

RACINE = Path(__file__).resolve().parents[2]


def test_la_plateforme_hache_au_cout_de_la_rfc_9106() -> None:
    code = "from web.securite.mots_de_passe import hacher; print(hacher('parcours'))"
    fait = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=RACINE, check=True
    )
    p = profiles.RFC_9106_LOW_MEMORY
    prefixe = f"$argon2id$v=19$m={p.memory_cost},t={p.time_cost},p={p.parallelism}$"
    assert fait.stdout.startswith(prefixe), fait.stdout
