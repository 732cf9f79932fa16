"""Rate limits (sliding window, in memory): slow down password guessing and floods.

In memory means per process: behind several web replicas, put the same limits in the
reverse proxy as well (noted in the README).
"""

from __future__ import annotations

import time
from collections import defaultdict, deque


class Limiteur:
    def __init__(self, maximum: int, fenetre_s: float) -> None:
        self.maximum, self.fenetre = maximum, fenetre_s
        self._hits: dict[str, deque[float]] = defaultdict(deque)

    def autoriser(self, cle: str) -> bool:
        now = time.monotonic()
        hits = self._hits[cle]
        while hits and now - hits[0] > self.fenetre:
            hits.popleft()
        if len(hits) >= self.maximum:
            return False
        hits.append(now)
        return True

    def attente(self, cle: str) -> int:
        hits = self._hits.get(cle)
        return int(self.fenetre - (time.monotonic() - hits[0])) + 1 if hits else 0

    def oublier(self, cle: str) -> None:
        self._hits.pop(cle, None)
