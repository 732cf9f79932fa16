"""Characters nobody types: refused in every field of every request, before any route.

A NUL, a terminal escape, a lone surrogate or a bidirectional override in a name is never a
person's input: it is a forgery (a name that displays as another), a crash waiting in the read
model (PostgreSQL refuses NUL in text), or garbage. Accents, emoji, combining marks, other
scripts, quotes and angle brackets are text and pass — the templates escape them.

Checked here, for every field at once: the query string of every request, and every body a
route would parse — JSON (``application/json``, ``application/*+json``, in any case, with any
parameters) and forms — read only once the sender is signed in (but on the login and logout
forms), capped at 1 Mo while it streams; a body of any other type is refused (415). Partner
events are checked after their signature (partenaires/reception.py), so that an unsigned
request is answered 401 first.
"""

from __future__ import annotations

import email.message
import json
import re
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schemas.caracteres import problemes
from schemas.erreurs import CodeErreur
from web.deps import utilisateur_optionnel
from web.erreurs import avant_la_route, reponse, sans_corps_recu
from web.securite.entetes import LIMITE_CORPS, TROP_GROS

METHODES_AVEC_CORPS = frozenset({b"POST", b"PUT", b"PATCH", b"DELETE"})
# Partners authenticate in the route: a signature (CloudEvents, RDV-Solidarités' X-Lapin-Signature)
# or Immersion Facilitée's callback header, checked by its adapter (partenaires/).
EVENEMENTS_PARTENAIRES = re.compile(
    r"^/api/v1/partners/(?:[^/]+/events|immersion-facilitee/rappels|rdv/rdv-solidarites/webhooks)$"
)


def _champs_de_formulaire(texte: str) -> dict[str, Any]:
    champs: dict[str, Any] = {}
    for cle, valeur in parse_qsl(texte, keep_blank_values=True):
        champs.setdefault(cle, []).append(valeur)
    return {k: v[0] if len(v) == 1 else v for k, v in champs.items()}


class CorpsTropGros(Exception):
    pass


# Who may send a body without being signed in: the login form, the logout button and the
# activation form of a new account (its one-time link is its credential, checked by the route,
# and its body is small and capped like any other). Partner
# events are let through unread: their route checks the signature first, then its own type
# (cloudevents+json) and size (256 Kio) while streaming, then these characters.
ANONYMES = frozenset({"/connexion", "/deconnexion"})
# and the booking page of an invitation, the answer page of a structure's orientation
ANONYMES_PREFIXES = ("/activation/", "/rdv/", "/orientation/")


def anonyme_permis(chemin: str) -> bool:
    return chemin in ANONYMES or chemin.startswith(ANONYMES_PREFIXES)


JSON, FORMULAIRE = "json", "formulaire"


def genre_du_corps(type_contenu: str | None) -> str | None:
    """How the application would read a body of this type: as FastAPI and Starlette do it
    (case-insensitive, parameters ignored, ``application/*+json`` is JSON); None: not read
    by any route here — multipart included, which no page sends."""
    if not type_contenu:
        return None
    message = email.message.Message()
    message["content-type"] = type_contenu
    principal, sous_type = message.get_content_maintype(), message.get_content_subtype()
    if principal == "application" and (sous_type == "json" or sous_type.endswith("+json")):
        return JSON
    if message.get_content_type() == "application/x-www-form-urlencoded":
        return FORMULAIRE
    return None


class SaisiesControlees:
    """ASGI middleware: a request with a forbidden character in any field is answered 422,
    naming the field; the route never sees it, so nothing is stored. Every request body is
    read here, and only here before the route: after the sign-in check, capped while it
    streams (whatever Content-Length said), refused 415 when no route would parse its type."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        erreurs = problemes(_champs_de_formulaire(query)) if query else []
        if erreurs:
            await avant_la_route(scope, send, 422, INVALIDES, CodeErreur.DONNEES_INVALIDES, erreurs)
            return
        if scope["method"].encode() not in METHODES_AVEC_CORPS or EVENEMENTS_PARTENAIRES.match(
            scope["path"]
        ):
            await self.app(scope, receive, send)
            return
        if not anonyme_permis(scope["path"]) and not await _authentifie(scope):
            await _anonyme(scope, send)  # before a byte of the body is read
            return
        try:
            corps, receive = await _lire(receive)
        except CorpsTropGros:
            await avant_la_route(scope, send, 413, TROP_GROS, "trop_volumineux")
            return
        type_contenu = Headers(scope=scope).get("content-type")
        genre = genre_du_corps(type_contenu)
        if genre is None and corps:
            await avant_la_route(scope, send, 415, NON_PRIS_EN_CHARGE, "type_contenu", [])
            return
        if genre is not None and (erreurs := _problemes_du_corps(corps, genre)):
            await avant_la_route(scope, send, 422, INVALIDES, CodeErreur.DONNEES_INVALIDES, erreurs)
            return
        await self.app(scope, _rejouer(corps, receive), send)


INVALIDES = "Données invalides : corrigez les champs indiqués"
NON_PRIS_EN_CHARGE = (
    "Type de contenu non pris en charge : envoyez du JSON (« Content-Type: application/json »)"
    " ou un formulaire (« application/x-www-form-urlencoded »)"
)


async def _authentifie(scope: Scope) -> bool:
    """A valid session or API token, checked as the routes check it (web/deps.py)."""
    request = Request(scope)
    services = getattr(request.app.state, "services", None)
    if services is None:
        return False
    async with services.sessions() as session:
        return await utilisateur_optionnel(request, session, services) is not None


async def _anonyme(scope: Scope, send: Send) -> None:
    """What the route would have answered: 401 on the API, the login page for a page."""
    request = Request(scope)
    chemin = scope["path"]
    response: Response
    if chemin.startswith(("/api/", "/codec")) or "application/json" in request.headers.get(
        "accept", ""
    ):
        message = "Authentification requise (session ou jeton d'API)"
        response = reponse(401, message, CodeErreur.NON_AUTHENTIFIE, [], chemin)
    elif request.headers.get("HX-Request"):
        response = Response(status_code=204, headers={"HX-Redirect": f"/connexion?suite={chemin}"})
    else:
        response = RedirectResponse(f"/connexion?suite={chemin}", status_code=303)
    await response(scope, sans_corps_recu, send)


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


def _problemes_du_corps(corps: bytes, genre: str) -> list[dict[str, str]]:
    """The body's fields at fault, decoded as the route would decode them: JSON from bytes
    (UTF-8, -16 or -32, as ``json.loads`` detects them), a form from Latin-1 then
    percent-escapes (as Starlette's parser). An unreadable body is left for the route."""
    if genre == FORMULAIRE:
        texte = corps.decode("latin-1")
        # Field by field, then the whole: however a parser splits the fields, nothing slips.
        return problemes(_champs_de_formulaire(texte)) or problemes(unquote_plus(texte))
    try:
        return problemes(json.loads(corps))
    except ValueError:
        return []
    except RecursionError:
        return [{"champ": "corps", "message": "JSON trop imbriqué"}]
