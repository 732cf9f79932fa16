"""Login and logout of the cockpit: local accounts (argon2) or an OpenID Connect provider
(ProConnect). The login form is protected against CSRF by a double-submit cookie, and
password guessing is slowed by counting failures (never successes) per account and address
and per address, in the database (``web.securite.limites``)."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

import httpx
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.audit import journaliser
from services.utilisateur import Utilisateur
from store.comptes import Compte
from web.deps import ServicesDep, SessionDep, adresse
from web.securite import oidc, sessions
from web.securite.limites import attente_connexion, echec_connexion, reussite_connexion
from web.securite.mots_de_passe import verifier
from web.services import Services
from web.templating import templates

router = APIRouter(include_in_schema=False)
CSRF_LOGIN = "parcours_csrf_connexion"


def _suite(value: str | None) -> str:
    """Only local paths: never redirect to another site after login. Browsers read « \\ »
    as « / » and drop tabs and newlines, so « /\\site » would leave the platform too."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return "/"
    if "\\" in value or any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        return "/"
    return value


def _page(
    request: Request,
    suite: str,
    erreur: str | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    settings = request.app.state.services.settings
    token = secrets.token_urlsafe(24)
    response = templates.TemplateResponse(
        request,
        "cockpit/connexion.html",
        {
            "u": None,
            "titre": "Connexion",
            "suite": suite,
            "erreur": erreur,
            "csrf": token,
            "oidc": settings.oidc_libelle if settings.oidc_issuer else None,
        },
        status_code=status,
        headers=headers,
    )
    response.set_cookie(
        CSRF_LOGIN, token, httponly=True, samesite="strict", secure=settings.secure_cookies
    )
    return response


async def _ouvrir_session(
    request: Request,
    session: AsyncSession,
    services: Services,
    compte: Compte,
    suite: str,
    moyen: str,
) -> Response:
    ip = adresse(request)
    ancien = request.cookies.get(sessions.COOKIE)
    if ancien:  # this browser's previous session (maybe someone else's) ends here, server side
        await sessions.fermer(session, ancien)
    token, _ = await sessions.ouvrir(session, compte, ip)
    await journaliser(
        session, Utilisateur.depuis_compte(compte), "connexion", f"compte:{compte.id}", moyen, ip
    )
    response = RedirectResponse(suite, status_code=303)
    response.set_cookie(
        sessions.COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=services.settings.secure_cookies,
        max_age=services.settings.session_max_hours * 3600,
    )
    response.delete_cookie(CSRF_LOGIN)
    return response


@router.get("/connexion", response_class=HTMLResponse)
async def formulaire(request: Request, suite: str | None = None) -> Response:
    return _page(request, _suite(suite))


@router.post("/connexion")
async def connecter(
    request: Request,
    session: SessionDep,
    services: ServicesDep,
    email: Annotated[str, Form(max_length=200)],
    mot_de_passe: Annotated[str, Form(max_length=200)],
    csrf_token: Annotated[str, Form()] = "",
    suite: Annotated[str, Form()] = "/",
) -> Response:
    suite = _suite(suite)
    cookie = request.cookies.get(CSRF_LOGIN, "")
    if not cookie or not hmac.compare_digest(cookie, csrf_token):
        return _page(request, suite, "Le formulaire a expiré : merci de réessayer.", 403)
    ip, cle = adresse(request) or "?", email.strip().lower()
    if attente := await attente_connexion(session, cle, ip):
        return _trop_de_tentatives(request, suite, attente)
    compte = (await session.exec(select(Compte).where(Compte.email == cle))).first()
    if compte is None or not compte.actif or not verifier(compte.mot_de_passe, mot_de_passe):
        await echec_connexion(session, cle, ip)
        await journaliser(session, None, "connexion_refusee", f"email:{cle}", "", ip)
        return _page(request, suite, "Adresse électronique ou mot de passe incorrect.", 401)
    await reussite_connexion(session, cle, ip)
    return await _ouvrir_session(request, session, services, compte, suite, "mot de passe")


def _trop_de_tentatives(request: Request, suite: str, attente_s: int) -> Response:
    minutes = -(-attente_s // 60)
    duree = "1 minute" if minutes == 1 else f"{minutes} minutes"
    return _page(
        request,
        suite,
        f"Trop de tentatives : réessayez dans {duree}.",
        429,
        headers={"Retry-After": str(attente_s)},
    )


@router.get("/connexion/oidc")
async def connexion_oidc(
    request: Request, session: SessionDep, services: ServicesDep, suite: str | None = None
) -> Response:
    settings = services.settings
    if not settings.oidc_issuer:
        return _page(
            request,
            _suite(suite),
            "La connexion par fournisseur d'identité n'est pas activée.",
            404,
        )
    async with httpx.AsyncClient() as http:
        try:
            url, state = await oidc.url_autorisation(session, http, settings, _suite(suite))
        except oidc.EchecOidc as err:
            return _page(request, _suite(suite), str(err), 503)
        except httpx.HTTPError:
            return _page(
                request,
                _suite(suite),
                f"{settings.oidc_libelle} est injoignable : réessayez plus tard.",
                503,
            )
    response = RedirectResponse(url, status_code=303)
    # Lax: the provider sends the browser back with a top-level GET, which carries it.
    response.set_cookie(
        oidc.COOKIE_STATE,
        state,
        max_age=int(oidc.VALIDITE.total_seconds()),
        path="/connexion/oidc",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    return response


@router.get("/connexion/oidc/retour")
async def retour_oidc(
    request: Request,
    session: SessionDep,
    services: ServicesDep,
    code: str = "",
    state: str = "",
    error: str = "",
) -> Response:
    settings = services.settings
    if error or not code or not state:
        return _page(request, "/", f"Connexion {settings.oidc_libelle} annulée ou refusée.", 401)
    async with httpx.AsyncClient() as http:
        try:
            compte, suite = await oidc.terminer(
                session, http, settings, code, state, request.cookies.get(oidc.COOKIE_STATE, "")
            )
        except oidc.EchecOidc as err:
            await journaliser(
                session, None, "connexion_refusee", "oidc", str(err), adresse(request)
            )
            return _page(request, "/", str(err), 403)
        except httpx.HTTPError:
            return _page(
                request, "/", f"{settings.oidc_libelle} est injoignable : réessayez plus tard.", 503
            )
    response = await _ouvrir_session(request, session, services, compte, suite, "oidc")
    response.delete_cookie(oidc.COOKIE_STATE, path="/connexion/oidc")
    return response


@router.post("/deconnexion")
async def deconnecter(request: Request, session: SessionDep) -> Response:
    """The session named by the cookie ends, with or without the CSRF token. Refusing a
    logout without it would protect nothing worth having (a forged logout only logs a person
    out; the SameSite cookie does not even travel with a cross-site post) and would leave alive,
    server side, a session whose cookie the browser has dropped but a thief may still hold."""
    token = request.cookies.get(sessions.COOKIE)
    if token:
        u = await sessions.depuis_cookie(session, token, request.app.state.services.settings)
        await sessions.fermer(session, token)
        if u is not None:
            envoye = str((await request.form()).get(sessions.CSRF_FIELD, ""))
            detail = "" if u.csrf and hmac.compare_digest(envoye, u.csrf) else "sans jeton CSRF"
            await journaliser(session, u, "deconnexion", f"compte:{u.id}", detail, adresse(request))
    response = RedirectResponse("/connexion", status_code=303)
    response.delete_cookie(sessions.COOKIE)
    return response
