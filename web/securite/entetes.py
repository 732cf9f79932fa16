"""Security headers on every answer, and a cap on request bodies.

The Content-Security-Policy allows no inline script (htmx runs with ``allowEval: false``);
DSFR Chart's Vue runtime needs ``'unsafe-eval'`` only on the observatoire pages, which are
the only ones that load it.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.erreurs import avant_la_route

CSP = (
    "default-src 'self'; script-src 'self'{eval}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'"
)
LIMITE_CORPS = 1024 * 1024  # 1 MB; the partner API applies its own, smaller, limit
TROP_GROS = "Requête trop volumineuse (1 Mo au plus)"


class EntetesSecurite:
    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app, self.hsts = app, hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                eval_ = " 'unsafe-eval'" if path.startswith("/observatoire") else ""
                headers.setdefault("Content-Security-Policy", CSP.format(eval=eval_))
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
                headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
                if self.hsts:
                    headers.setdefault(
                        "Strict-Transport-Security", "max-age=63072000; includeSubDomains"
                    )
                if not path.startswith("/static/"):
                    headers.setdefault("Cache-Control", "no-store")  # dossiers never stay in caches
            await send(message)

        longueur = dict(scope["headers"]).get(b"content-length")
        if longueur is not None and longueur.isdigit() and int(longueur) > LIMITE_CORPS:
            # refused unread, in the format of any other refusal, with the same headers
            await avant_la_route(scope, send_with_headers, 413, TROP_GROS, "trop_volumineux")
            return
        await self.app(scope, receive, send_with_headers)
