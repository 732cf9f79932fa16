"""Dependencies declared once and reused by every route (FastAPI ``Annotated`` aliases)."""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel.ext.asyncio.session import AsyncSession

from core import journaux
from core.clock import local_day
from schemas.common import Role
from schemas.erreurs import CodeErreur
from services.parcours_client import ParcoursClient
from services.utilisateur import Utilisateur
from web.erreurs import Refus
from web.securite import sessions
from web.securite.limites import Limites
from web.services import Services, TemporalIndisponible

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ConnexionRequise(Exception):
    """A page needs a logged-in person: redirect to the login page."""


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_limites(request: Request) -> Limites:
    """The application's own rate limiters (``create_app``), never another application's."""
    limites: Limites = request.app.state.limites
    return limites


LimitesDep = Annotated[Limites, Depends(get_limites)]


async def db_session(services: ServicesDep) -> AsyncIterator[AsyncSession]:
    async with services.sessions() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(db_session)]


async def parcours_client(services: ServicesDep) -> ParcoursClient:
    try:
        return await services.parcours()
    except TemporalIndisponible:
        raise Refus(
            503,
            "Le moteur de parcours (Temporal) est injoignable : réessayez dans un instant",
            CodeErreur.TEMPORAL_INDISPONIBLE,
        ) from None


ParcoursDep = Annotated[ParcoursClient, Depends(parcours_client)]


async def utilisateur_optionnel(
    request: Request, session: SessionDep, services: ServicesDep
) -> Utilisateur | None:
    u = await _utilisateur(request, session, services)
    if u is not None:
        journaux.noter_compte(u.id)  # the request's log lines say which account (a fingerprint)
    return u


async def _utilisateur(
    request: Request, session: SessionDep, services: Services
) -> Utilisateur | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return await sessions.depuis_jeton(session, auth[7:].strip())
    token = request.cookies.get(sessions.COOKIE)
    if token:
        return await sessions.depuis_cookie(session, token, services.settings)
    return None


async def _csrf(request: Request, u: Utilisateur) -> None:
    """Cookie sessions must prove the request comes from our own pages (token in header or form)."""
    if request.method not in UNSAFE_METHODS or u.csrf is None:
        return
    sent = request.headers.get(sessions.CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sent = str((await request.form()).get(sessions.CSRF_FIELD, ""))
    if not sent or not hmac.compare_digest(sent, u.csrf):
        raise Refus(
            403, "Requête refusée : jeton anti-falsification (CSRF) absent ou invalide", "csrf"
        )


async def utilisateur_api(
    request: Request, u: Annotated[Utilisateur | None, Depends(utilisateur_optionnel)]
) -> Utilisateur:
    if u is None:
        raise Refus(
            401, "Authentification requise (session ou jeton d'API)", CodeErreur.NON_AUTHENTIFIE
        )
    if u.role in (Role.PARTENAIRE, Role.USAGER):
        raise Refus(403, "Ce compte n'a pas accès à cette API", "interdit")
    await _csrf(request, u)
    return u


async def utilisateur_page(
    request: Request, u: Annotated[Utilisateur | None, Depends(utilisateur_optionnel)]
) -> Utilisateur:
    if u is None or u.role in (Role.PARTENAIRE, Role.USAGER):
        raise ConnexionRequise()
    await _csrf(request, u)
    return u


UtilisateurApi = Annotated[Utilisateur, Depends(utilisateur_api)]
UtilisateurPage = Annotated[Utilisateur, Depends(utilisateur_page)]


def aujourd_hui() -> date:
    from datetime import UTC, datetime

    return local_day(datetime.now(UTC))


def adresse(request: Request) -> str | None:
    return request.client.host if request.client else None
