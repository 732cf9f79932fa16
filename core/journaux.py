"""Logs of the web app and the worker: one JSON object per line (``LOG_FORMAT=json``, the
production default) or readable text (``texte``, the default of ``make run``).

Each line carries what lets an operator follow one request or one workflow run, and nothing
personal: the request id (taken from ``X-Request-ID`` or drawn, echoed in the answer), a
fingerprint of the account (its id can hold a name: ``ref-karim-benali``), the parcours id
read in the path, and in the worker the workflow and run ids that temporalio's workflow and
activity loggers put in ``extra``. Messages themselves are the callers' job: access lines
are masked by ``web.journaux`` (carnet secret, query strings) before they get here.

The standard library's logging with a small formatter rather than python-json-logger: that
package is not in the lock, and the formatter below is the whole need (no configuration
language, no extra field discovery).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
import uuid
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ENTETE = "X-Request-ID"
_ID_ACCEPTE = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_PARCOURS = re.compile(r"^(?:/api/v1)?/parcours/([0-9a-f][0-9a-f-]{15,})(?:/|$)")
TEXTE = "%(asctime)s %(name)s %(levelname)s %(message)s"


@dataclass
class Contexte:
    """Mutable, so that a dependency (who is signed in) fills it for the access line written
    after the handler, even across the tasks some middlewares start."""

    requete: str
    compte: str | None = None
    parcours: str | None = None


_contexte: ContextVar[Contexte | None] = ContextVar("contexte_journal", default=None)


def empreinte_compte(compte_id: str) -> str:
    return hashlib.sha256(compte_id.encode()).hexdigest()[:12]


def noter_compte(compte_id: str) -> None:
    """Called once the account of a request is known."""
    if (ctx := _contexte.get()) is not None:
        ctx.compte = empreinte_compte(compte_id)


class IdentifiantDeRequete:
    """ASGI middleware: a request id for every HTTP request, in the logs and the answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        recu = dict(scope["headers"]).get(ENTETE.lower().encode(), b"").decode("latin-1")
        ident = recu if _ID_ACCEPTE.fullmatch(recu) else uuid.uuid4().hex
        trouve = _PARCOURS.match(scope.get("path", ""))
        jeton = _contexte.set(Contexte(ident, parcours=trouve.group(1) if trouve else None))

        async def envoyer(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[ENTETE] = ident
            await send(message)

        try:
            await self.app(scope, receive, envoyer)
        finally:
            _contexte.reset(jeton)


CHAMPS_TEMPORAL = ("workflow_id", "run_id", "workflow_type", "activity_type", "attempt")


def _temporal(record: logging.LogRecord) -> dict[str, Any]:
    """temporalio's loggers put ``temporal_workflow`` / ``temporal_activity`` in extra."""
    champs: dict[str, Any] = {}
    for cle in ("temporal_workflow", "temporal_activity"):
        infos = getattr(record, cle, None)
        if isinstance(infos, dict):
            # activities name the run « workflow_run_id », workflows « run_id »
            infos = {"run_id": infos.get("workflow_run_id"), **infos}
            champs |= {nom: infos[nom] for nom in CHAMPS_TEMPORAL if infos.get(nom) is not None}
    return champs


def _acces(record: logging.LogRecord) -> dict[str, Any]:
    """uvicorn's access line, already masked: ``(client, method, path, version, status)``."""
    args = record.args
    if record.name == "uvicorn.access" and isinstance(args, tuple) and len(args) == 5:
        return {"methode": args[1], "chemin": args[2], "statut": args[4]}
    return {}


class FormatJson(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        ligne: dict[str, Any] = {
            "horodatage": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "niveau": record.levelname,
            "journal": record.name,
            "message": record.getMessage(),
        }
        if (ctx := _contexte.get()) is not None:
            ligne["requete_id"] = ctx.requete
            ligne |= {"compte": ctx.compte} if ctx.compte else {}
            ligne |= {"parcours_id": ctx.parcours} if ctx.parcours else {}
        ligne |= _acces(record) | _temporal(record)
        if record.exc_info:
            ligne["exception"] = self.formatException(record.exc_info)
        return json.dumps(ligne, ensure_ascii=False, default=str)


class FormatTexte(logging.Formatter):
    """The text line, followed by the request id when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        texte = super().format(record)
        ctx = _contexte.get()
        return f"{texte} [requête {ctx.requete}]" if ctx is not None else texte


def _formateur(format_: str) -> logging.Formatter:
    return FormatJson() if format_ == "json" else FormatTexte(TEXTE)


def installer(format_: str, *, niveau: int = logging.INFO) -> None:
    """The root logger writes to stderr in ``format_``; loggers that kept their own handlers
    (uvicorn's, configured before the app is built) get the same formatter. Idempotent."""
    racine = logging.getLogger()
    racine.setLevel(niveau)
    nos: list[logging.Handler] = [h for h in racine.handlers if getattr(h, "parcours", False)]
    if not nos:
        nouveau = logging.StreamHandler(sys.stderr)
        nouveau.parcours = True  # type: ignore[attr-defined]
        racine.addHandler(nouveau)
        nos = [nouveau]
    for handler in nos:
        handler.setFormatter(_formateur(format_))
    if format_ == "json":
        for nom in ("uvicorn", "uvicorn.error", "uvicorn.access"):
            for h in logging.getLogger(nom).handlers:
                h.setFormatter(FormatJson())
