"""OpenID Connect login, compatible with ProConnect: authorization code flow with PKCE (S256),
``state`` and ``nonce``, ID token checked against the provider's keys.

The provider authenticates; the platform still authorizes: the person must have an active
account here (matched once by an e-mail the provider says it verified, then remembered by the
provider's ``sub``). The provider's discovery document must name the configured issuer, and
the callback must come back to the browser that started the login (its ``state`` cookie), so
nobody can log a person into the attacker's account by sending them a callback link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.settings import Settings
from store.comptes import Compte, TentativeOidc
from store.db import ecriture

VALIDITE = timedelta(minutes=10)
COOKIE_STATE = "parcours_oidc_state"
log = logging.getLogger(__name__)


class EchecOidc(Exception):
    """The login cannot be completed; the message is for the person."""


@dataclass(frozen=True)
class Fournisseur:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


_fournisseurs: dict[str, Fournisseur] = {}


async def fournisseur(http: httpx.AsyncClient, issuer: str) -> Fournisseur:
    if issuer not in _fournisseurs:
        response = await http.get(
            f"{issuer.rstrip('/')}/.well-known/openid-configuration", timeout=10
        )
        response.raise_for_status()
        meta = response.json()
        annonce = str(meta.get("issuer", ""))
        if annonce.rstrip("/") != issuer.rstrip("/"):  # OpenID Connect Discovery, § 4.3
            log.error("OIDC : le document de découverte annonce %r au lieu de %r", annonce, issuer)
            raise EchecOidc(
                "La connexion par fournisseur d'identité est mal configurée : "
                "prévenez l'administration du SPIE."
            )
        _fournisseurs[issuer] = Fournisseur(
            meta["issuer"], meta["authorization_endpoint"], meta["token_endpoint"], meta["jwks_uri"]
        )
    return _fournisseurs[issuer]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def redirect_uri(settings: Settings) -> str:
    return f"{settings.effective_public_url}/connexion/oidc/retour"


async def url_autorisation(
    session: AsyncSession, http: httpx.AsyncClient, settings: Settings, suite: str
) -> tuple[str, str]:
    """The provider's page to send the browser to, and the ``state`` to keep in its cookie."""
    f = await fournisseur(http, settings.oidc_issuer)
    state, nonce, verifier = (secrets.token_urlsafe(24) for _ in range(3))
    await ecriture(session)
    session.add(
        TentativeOidc(
            state=state, nonce=nonce, verifier=verifier, suite=suite, cree_le=datetime.now(UTC)
        )
    )
    await session.commit()
    params = {
        "response_type": "code",
        "client_id": settings.oidc_client_id,
        "redirect_uri": redirect_uri(settings),
        "scope": settings.oidc_scopes,
        "state": state,
        "nonce": nonce,
        "code_challenge": _b64(hashlib.sha256(verifier.encode()).digest()),
        "code_challenge_method": "S256",
    }
    return f"{f.authorization_endpoint}?{urlencode(params)}", state


async def _tentative(session: AsyncSession, state: str) -> TentativeOidc:
    await ecriture(session)
    tentative = await session.get(TentativeOidc, state)
    if tentative is None:
        raise EchecOidc("Cette tentative de connexion est inconnue ou a déjà servi : recommencez.")
    await session.delete(tentative)  # one use only
    await session.commit()
    cree = tentative.cree_le if tentative.cree_le.tzinfo else tentative.cree_le.replace(tzinfo=UTC)
    if datetime.now(UTC) - cree > VALIDITE:
        raise EchecOidc("La connexion a pris trop de temps : recommencez.")
    return tentative


async def terminer(
    session: AsyncSession,
    http: httpx.AsyncClient,
    settings: Settings,
    code: str,
    state: str,
    state_du_navigateur: str,
) -> tuple[Compte, str]:
    """Exchange the code, check the ID token, find the account; returns it and the page to go to."""
    tentative = await _tentative(session, state)
    if not state_du_navigateur or not hmac.compare_digest(state_du_navigateur, state):
        raise EchecOidc(
            "Cette connexion n'a pas été commencée depuis ce navigateur : recommencez-la ici."
        )
    f = await fournisseur(http, settings.oidc_issuer)
    response = await http.post(
        f.token_endpoint,
        timeout=10,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri(settings),
            "client_id": settings.oidc_client_id,
            "client_secret": settings.oidc_client_secret,
            "code_verifier": tentative.verifier,
        },
    )
    if response.status_code != 200:
        raise EchecOidc("Le fournisseur d'identité a refusé la connexion.")
    claims = await _verifier_id_token(
        http, f, settings, response.json().get("id_token", ""), tentative.nonce
    )
    try:
        return await _compte(session, claims), tentative.suite
    except EchecOidc:
        if settings.oidc_comptes_en_attente:  # a known structure's agent: a request to approve
            from web.administration.arrivees import EN_ATTENTE, demande_proconnect

            if await demande_proconnect(session, claims) is not None:
                raise EchecOidc(EN_ATTENTE) from None
        raise


async def _verifier_id_token(
    http: httpx.AsyncClient, f: Fournisseur, settings: Settings, id_token: str, nonce: str
) -> dict[str, Any]:
    keys = KeySet.import_key_set((await http.get(f.jwks_uri, timeout=10)).json())
    try:
        token = jwt.decode(id_token, keys)
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": f.issuer},
            aud={"essential": True, "value": settings.oidc_client_id},
            nonce={"essential": True, "value": nonce},
            exp={"essential": True},
            sub={"essential": True},
        ).validate(token.claims)
    except (JoseError, ValueError) as err:
        raise EchecOidc(f"Jeton d'identité invalide ({type(err).__name__}).") from None
    return dict(token.claims)


async def _compte(session: AsyncSession, claims: dict[str, Any]) -> Compte:
    sub, email = str(claims["sub"]), str(claims.get("email", "")).lower()
    compte = (await session.exec(select(Compte).where(Compte.oidc_sub == sub))).first()
    if compte is None and email:
        if claims.get("email_verified") is not True:  # anyone may claim any address
            raise EchecOidc(
                "Votre fournisseur d'identité n'a pas vérifié votre adresse électronique : "
                "faites-la vérifier, ou demandez à l'administration du SPIE de lier votre compte."
            )
        compte = (await session.exec(select(Compte).where(Compte.email == email))).first()
    if compte is None or not compte.actif:
        raise EchecOidc(
            "Votre compte n'est pas autorisé sur Parcours : demandez-le à l'administration du SPIE."
        )
    if compte.oidc_sub is not None and compte.oidc_sub != sub:
        raise EchecOidc(
            "Ce compte est déjà lié à une autre identité : contactez l'administration du SPIE."
        )
    if compte.oidc_sub is None:
        await ecriture(session)
        compte = await session.get(Compte, compte.id)
        assert compte is not None
        compte.oidc_sub = sub
        await session.commit()
    return compte
