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

The one-shot commands (``python -m web.securite.comptes``, ``store.migrations``,
``ops.sauvegarde``…) write the same lines (``commande``): their journal goes to stderr, one
JSON object per line in production, with the command's name and an id per run; what they
answer the person who typed them (an account's id, a token shown once) stays on stdout.

Every line, of the web, the worker or a command, goes through the same masking before it is
written (``Caviardage``): the value of every secret setting (``CODEC_KEYS``, ``AUDIT_KEY``,
``SMTP_MOT_DE_PASSE``, partners' secrets and tokens…), a password in a URL, the secret of a
carnet, booking or orientation link, and query strings. A library that puts one of them in
an error message cannot leak it to the log collector.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
import uuid
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.settings import Settings, get_settings

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


MASQUE = "[masqué]"
# Settings that hold a secret (their value, wherever it shows up, is masked).
REGLAGES_SECRETS = (
    "audit_key",
    "metrics_token",
    "oidc_client_secret",
    "pieces_s3_secret_key",
    "sauvegarde_cle",
    "smtp_mot_de_passe",
    "temporal_api_key",
)
REGLAGES_URL = ("database_url", "temporal_database_url")
# Partners' credentials come as PARTNER_<ID>_SECRET, _TOKEN, _UID, _CLIENT (core/partners.py).
_VARIABLE_SECRETE = re.compile(r"^PARTNER_\w+_(?:SECRET|TOKEN|UID|CLIENT)$")
COURT = 8  # a shorter value (« 25 », « oui ») would mask ordinary words: never a real secret
# A password in a URL (« postgresql://parcours:…@hôte »); the secret of a carnet, booking or
# orientation link (as web/journaux.py masks them in access lines); a query string's values
# (« ?q=Dupont », never a French « ? », which follows a space).
_URL_MOT_DE_PASSE = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@]*:)[^@\s/]+@")
_LIEN_SECRET = re.compile(r"(?i)(/(?:carnet|rdv|orientation)(?:/|%2f))[^/?#\s\"']+")
_REQUETE = re.compile(r"\?[\w.%-]+=[^\s\"']*")


def secrets_des_reglages(settings: Settings, environ: dict[str, str] | None = None) -> set[str]:
    """The values to mask: secret settings, the keys of CODEC_KEYS, passwords of database
    URLs, partners' credentials from the environment (their ``_FILE`` form read too)."""
    valeurs = {str(getattr(settings, nom) or "") for nom in REGLAGES_SECRETS}
    for cle in settings.codec_keys.split(","):
        valeurs |= {cle.strip(), cle.partition(":")[2].strip()}
    for nom in REGLAGES_URL:
        try:
            valeurs.add(urlsplit(getattr(settings, nom) or "").password or "")
        except ValueError:
            continue
    env = dict(os.environ if environ is None else environ)
    for variable, valeur in env.items():
        nom = variable.removesuffix("_FILE")
        if _VARIABLE_SECRETE.match(nom):
            valeurs.add(valeur if nom == variable else _lire_fichier(valeur))
    return {v for v in valeurs if len(v) >= COURT}


def _lire_fichier(chemin: str) -> str:
    try:
        with open(chemin, encoding="utf-8") as fichier:
            return fichier.read().strip()
    except OSError:
        return ""


class Caviardage:
    """Masks the secrets above in a log line's text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        connus = sorted({s for s in secrets if len(s) >= COURT}, key=len, reverse=True)
        self._valeurs = re.compile("|".join(map(re.escape, connus))) if connus else None

    def __call__(self, texte: str) -> str:
        if self._valeurs is not None:
            texte = self._valeurs.sub(MASQUE, texte)
        texte = _URL_MOT_DE_PASSE.sub(lambda m: m.group(1) + MASQUE + "@", texte)
        texte = _LIEN_SECRET.sub(lambda m: m.group(1) + MASQUE, texte)
        return _REQUETE.sub("?" + MASQUE, texte)


# Set by installer(); the formatters built without one (uvicorn's, the tests') use it.
_caviardage = Caviardage()
# The one-shot command this process runs, if it is one: its name and an id for this run.
_commande: dict[str, str] = {}


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
            "message": _caviardage(record.getMessage()),
            **_commande,
        }
        if (ctx := _contexte.get()) is not None:
            ligne["requete_id"] = ctx.requete
            ligne |= {"compte": ctx.compte} if ctx.compte else {}
            ligne |= {"parcours_id": ctx.parcours} if ctx.parcours else {}
        ligne |= _acces(record) | _temporal(record)
        if "chemin" in ligne:
            ligne["chemin"] = _caviardage(str(ligne["chemin"]))
        if record.exc_info:
            ligne["exception"] = _caviardage(self.formatException(record.exc_info))
        return json.dumps(ligne, ensure_ascii=False, default=str)


class FormatTexte(logging.Formatter):
    """The text line, followed by the request id when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        texte = _caviardage(super().format(record))
        ctx = _contexte.get()
        return f"{texte} [requête {ctx.requete}]" if ctx is not None else texte


def _formateur(format_: str) -> logging.Formatter:
    return FormatJson() if format_ == "json" else FormatTexte(TEXTE)


def installer(
    format_: str, *, niveau: int = logging.INFO, settings: Settings | None = None
) -> None:
    """The root logger writes to stderr in ``format_``; loggers that kept their own handlers
    (uvicorn's, configured before the app is built) get the same formatter. The secrets of
    ``settings`` (default: the environment's) are masked from then on. Idempotent."""
    global _caviardage
    _caviardage = Caviardage(secrets_des_reglages(settings or get_settings()))
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


def commande(nom: str, settings: Settings | None = None, *, niveau: int = logging.INFO) -> None:
    """For the ``if __name__ == "__main__":`` of a one-shot command: its journal is the web's
    and the worker's (format, masking), each line naming the command and this run. An
    exception that ends it is a line of that journal too, not a bare traceback."""
    settings = settings or get_settings()
    _commande.update(commande=nom, execution_id=uuid.uuid4().hex)
    installer(settings.format_des_journaux, niveau=niveau, settings=settings)
    logging.captureWarnings(True)  # a library's warning is a line of the journal too
    # create_schema() runs alembic: its plugins say « setup plugin … » seven times a run
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    sys.excepthook = _exception_finale


def _exception_finale(
    genre: type[BaseException], valeur: BaseException, trace: TracebackType | None
) -> None:
    if issubclass(genre, KeyboardInterrupt):
        sys.__excepthook__(genre, valeur, trace)
        return
    journal = logging.getLogger(_commande.get("commande", "commande"))
    journal.critical("Arrêt sur une erreur imprévue", exc_info=(genre, valeur, trace))


def erreur(message: str) -> None:
    """What a command refuses or fails at, for the person who typed it: a line of its journal
    once ``commande()`` has run (JSON in production), else the message alone on stderr (the
    command called from Python, as the tests do)."""
    if _commande:
        logging.getLogger(_commande["commande"]).error(message)
    else:
        sys.stderr.write(message + "\n")
