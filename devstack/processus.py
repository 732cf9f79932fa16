"""Child processes of `make run`: started together, their output prefixed, stopped together."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import IO

COLORS = ["\033[36m", "\033[35m", "\033[33m", "\033[32m", "\033[34m", "\033[31m"]
RESET = "\033[0m"
PR_SET_PDEATHSIG = 1


@dataclass
class Enfant:
    nom: str
    commande: list[str]
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None


class Superviseur:
    def __init__(self) -> None:
        self.enfants: list[Enfant] = []
        self._color = 0

    def lancer(self, nom: str, commande: list[str], env: dict[str, str] | None = None) -> Enfant:
        enfant = Enfant(nom, commande, env or {})
        enfant.process = subprocess.Popen(
            commande,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, **enfant.env, "PYTHONUNBUFFERED": "1"},
        )
        color = COLORS[self._color % len(COLORS)]
        self._color += 1
        assert enfant.process.stdout is not None
        threading.Thread(
            target=_relayer, args=(nom, color, enfant.process.stdout), daemon=True
        ).start()
        self.enfants.append(enfant)
        return enfant

    def mort(self) -> Enfant | None:
        """A child that stopped on its own (the whole group then stops)."""
        return next((e for e in self.enfants if e.process and e.process.poll() is not None), None)

    def arreter(self, delai: float = 15.0) -> None:
        for enfant in reversed(self.enfants):
            if enfant.process and enfant.process.poll() is None:
                enfant.process.send_signal(signal.SIGTERM)
        fin = time.monotonic() + delai
        for enfant in self.enfants:
            if enfant.process is None:
                continue
            try:
                enfant.process.wait(timeout=max(0.1, fin - time.monotonic()))
            except subprocess.TimeoutExpired:
                enfant.process.kill()


def _mourir_avec_le_parent() -> None:
    """Linux: a child gets SIGTERM if the supervisor dies, even killed without warning,
    so that no orphan keeps the ports and the SQLite files."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _relayer(nom: str, color: str, stream: IO[bytes]) -> None:
    prefix = f"{color}{nom:>12}{RESET} │ " if sys.stdout.isatty() else f"{nom:>12} │ "
    for raw in iter(stream.readline, b""):
        sys.stdout.write(prefix + raw.decode(errors="replace"))
        sys.stdout.flush()
