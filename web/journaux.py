"""Access logs without secrets. uvicorn's access log line carries the requested path and query
string: the secret of a carnet link (``/carnet/<secret>``), of an invitation's booking link
(``/rdv/<secret>``) and of a structure's orientation link (``/orientation/<secret>``, ticket 20),
and every query string (names typed
in searches, ``?q=…``; the login page's ``?suite=…``) are masked before any handler writes it.
The proxy's log masks the same (``deploy/Caddyfile``)."""

from __future__ import annotations

import logging
import re

MASQUE = "[masqué]"
# The same expression as the Caddyfile's (Go's regexp and Python's agree on it).
SECRETS = re.compile(r"(?i)(/(?:carnet|rdv|orientation)(?:/|%2f))[^/?#]+|([?]).*")


def caviarder(uri: str) -> str:
    return SECRETS.sub(lambda m: (m.group(1) or "") + (m.group(2) or "") + MASQUE, uri)


class CaviardageAcces(logging.Filter):
    """uvicorn logs ``'%s - "%s %s HTTP/%s" %d'`` with (client, method, path?query, version,
    status): the third argument is rewritten, the line is kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], caviarder(args[2]), *args[3:])
        return True


def installer() -> None:
    """On uvicorn's access logger (idempotent: create_app may run more than once)."""
    acces = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, CaviardageAcces) for f in acces.filters):
        acces.addFilter(CaviardageAcces())
