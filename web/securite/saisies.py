"""Characters nobody types: refused in every field of every request, before any route.

A NUL, a terminal escape, a lone surrogate or a bidirectional override in a name is never a
person's input: it is a forgery (a name that displays as another), a crash waiting in the read
model (PostgreSQL refuses NUL in text), or garbage. Accents, emoji, combining marks, other
scripts, quotes and angle brackets are text and pass — the templates escape them.

Checked here, for every field at once: the query string of every request, and JSON or form
bodies of the API and the cockpit. Partner events are checked after their signature
(web/partenaires/reception.py), so that an unsigned request is answered 401 first.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.erreurs import _html as page_de_refus
from web.erreurs import reponse
from web.securite.entetes import LIMITE_CORPS

# C0 controls but tab and line breaks, DEL and C1 controls, surrogates (only lone ones reach
# Python strings), bidi embeddings, overrides and isolates, and the two noncharacters.
INTERDITS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)
METHODES_AVEC_CORPS = frozenset({b"POST", b"PUT", b"PATCH", b"DELETE"})
EVENEMENTS_PARTENAIRES = re.compile(r"^/api/v1/partners/[^/]+/events$")


def _nom(caractere: str) -> str:
    code = f"U+{ord(caractere):04X}"
    nom = unicodedata.name(caractere, "")
    return f"{code} {nom.lower()}" if nom else code


def _message(valeur: str) -> str | None:
    trouve = INTERDITS.search(valeur)
    if trouve is None:
        return None
    return f"Caractère invisible ou de contrôle non permis ({_nom(trouve.group())}) : retirez-le"


def problemes(valeur: Any, chemin: str = "") -> list[dict[str, str]]:
    """The fields (dotted paths, as in the other refusals) holding a forbidden character."""
    return list(_parcourir(valeur, chemin))


def _parcourir(valeur: Any, chemin: str) -> Iterator[dict[str, str]]:
    if isinstance(valeur, str):
        if (message := _message(valeur)) is not None:
            yield {"champ": chemin or "corps", "message": message}
    elif isinstance(valeur, dict):
        for cle, sous in valeur.items():
            cle = str(cle)
            ici = f"{chemin}.{cle}" if chemin else cle
            if (message := _message(cle)) is not None:
                yield {"champ": chemin or "corps", "message": f"Nom de champ : {message}"}
                continue
            yield from _parcourir(sous, ici)
    elif isinstance(valeur, list):
        for i, sous in enumerate(valeur):
            yield from _parcourir(sous, f"{chemin}.{i}" if chemin else str(i))


def _champs_de_formulaire(texte: str) -> dict[str, Any]:
    champs: dict[str, Any] = {}
    for cle, valeur in parse_qsl(texte, keep_blank_values=True):
        champs.setdefault(cle, []).append(valeur)
    return {k: v[0] if len(v) == 1 else v for k, v in champs.items()}


class CorpsTropGros(Exception):
    pass


class SaisiesControlees:
    """ASGI middleware: a request with a forbidden character in any field is answered 422,
    naming the field; the route never sees it, so nothing is stored."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        erreurs = problemes(_champs_de_formulaire(query)) if query else []
        type_contenu = dict(scope["headers"]).get(b"content-type", b"").split(b";")[0].strip()
        verifier_corps = (
            not erreurs
            and scope["method"].encode() in METHODES_AVEC_CORPS
            and type_contenu in (b"application/json", b"application/x-www-form-urlencoded")
            and not EVENEMENTS_PARTENAIRES.match(scope["path"])
        )
        if verifier_corps:
            try:
                corps, suite = await _lire(receive)
            except CorpsTropGros:
                message = "Requête trop volumineuse (1 Mo au plus)"
                await _repondre(scope, send, 413, message, "trop_volumineux", [])
                return
            erreurs = problemes(_decoder(corps, type_contenu))
            receive = _rejouer(corps, suite)
        if erreurs:
            message = "Données invalides : corrigez les champs indiqués"
            await _repondre(scope, send, 422, message, "donnees_invalides", erreurs)
            return
        await self.app(scope, receive, send)


async def _lire(receive: Receive) -> tuple[bytes, Receive]:
    morceaux: list[bytes] = []
    taille = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client left: let the app see it
            return b"".join(morceaux), _une_fois(message, receive)
        morceau = message.get("body", b"")
        taille += len(morceau)
        if taille > LIMITE_CORPS:  # also when no Content-Length announced it
            raise CorpsTropGros
        morceaux.append(morceau)
        if not message.get("more_body", False):
            return b"".join(morceaux), receive


def _une_fois(premier: Message, receive: Receive) -> Receive:
    envoye = False

    async def suite() -> Message:
        nonlocal envoye
        if not envoye:
            envoye = True
            return premier
        return await receive()

    return suite


def _rejouer(corps: bytes, receive: Receive) -> Receive:
    lu = False

    async def rejouer() -> Message:
        nonlocal lu
        if not lu:
            lu = True
            return {"type": "http.request", "body": corps, "more_body": False}
        return await receive()

    return rejouer


def _decoder(corps: bytes, type_contenu: bytes) -> Any:
    """What the route would read; an unreadable body is left for the route to refuse."""
    try:
        texte = corps.decode("utf-8")
        if type_contenu == b"application/json":
            return json.loads(texte)
        return _champs_de_formulaire(texte)
    except ValueError:
        return None


async def _repondre(
    scope: Scope, send: Send, status: int, message: str, code: str, erreurs: list[dict[str, str]]
) -> None:
    request = Request(scope)
    chemin = scope["path"]
    en_json = chemin.startswith(("/api/", "/healthz", "/codec")) or "application/json" in (
        request.headers.get("accept", "")
    )
    response: Response
    if en_json:
        response = reponse(status, message, code, erreurs)
    else:
        detail = " ; ".join(f"« {e['champ']} » : {e['message']}" for e in erreurs)
        response = page_de_refus(request, status, f"{message}. {detail}" if detail else message)
    await response(scope, _sans_corps_recu, send)


async def _sans_corps_recu() -> Message:
    return {"type": "http.disconnect"}
