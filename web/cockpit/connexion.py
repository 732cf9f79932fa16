"""Login and logout of the cockpit. The login form is protected against CSRF by a
double-submit cookie, and password guessing is slowed per address and per account."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import select

from store.comptes import Compte
from web.deps import ServicesDep, SessionDep, adresse
from web.securite import sessions
from web.securite.audit import journaliser
from web.securite.limites import Limiteur
from web.securite.mots_de_passe import verifier
from web.securite.utilisateur import Utilisateur
from web.templating import templates

router = APIRouter(include_in_schema=False)
CSRF_LOGIN = "parcours_csrf_connexion"
PAR_ADRESSE = Limiteur(maximum=20, fenetre_s=15 * 60)
PAR_COMPTE = Limiteur(maximum=8, fenetre_s=15 * 60)


def _suite(value: str | None) -> str:
    """Only local paths: never redirect to another site after login."""
    return value if value and value.startswith("/") and not value.startswith("//") else "/"


def _page(request: Request, suite: str, erreur: str | None = None, status: int = 200) -> Response:
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
        },
        status_code=status,
    )
    response.set_cookie(
        CSRF_LOGIN, token, httponly=True, samesite="strict", secure=_secure(request)
    )
    return response


def _secure(request: Request) -> bool:
    return bool(request.app.state.services.settings.secure_cookies)


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
    if not PAR_ADRESSE.autoriser(ip) or not PAR_COMPTE.autoriser(cle):
        attente = max(PAR_ADRESSE.attente(ip), PAR_COMPTE.attente(cle)) // 60 + 1
        return _page(request, suite, f"Trop de tentatives : réessayez dans {attente} minutes.", 429)
    compte = (await session.exec(select(Compte).where(Compte.email == cle))).first()
    if compte is None or not compte.actif or not verifier(compte.mot_de_passe, mot_de_passe):
        await journaliser(session, None, "connexion_refusee", f"email:{cle}", "", ip)
        return _page(request, suite, "Adresse électronique ou mot de passe incorrect.", 401)
    PAR_COMPTE.oublier(cle)
    token, _ = await sessions.ouvrir(session, compte, ip)
    await journaliser(
        session, Utilisateur.depuis_compte(compte), "connexion", f"compte:{compte.id}", "", ip
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


@router.post("/deconnexion")
async def deconnecter(request: Request, session: SessionDep) -> Response:
    token = request.cookies.get(sessions.COOKIE)
    if token:
        form = await request.form()
        u = await sessions.depuis_cookie(session, token, request.app.state.services.settings)
        if (
            u is not None
            and u.csrf
            and hmac.compare_digest(str(form.get(sessions.CSRF_FIELD, "")), u.csrf)
        ):
            await sessions.fermer(session, token)
            await journaliser(session, u, "deconnexion", f"compte:{u.id}", "", adresse(request))
    response = RedirectResponse("/connexion", status_code=303)
    response.delete_cookie(sessions.COOKIE)
    return response
