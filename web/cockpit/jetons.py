"""Each person's own API tokens: create (named, with an expiry), list, revoke. The secret is
shown once, in the answer that creates it; only its SHA-256 is stored (web/securite)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import col, select

from schemas.erreurs import CodeErreur
from services.audit import journaliser
from services.utilisateur import Utilisateur
from store.comptes import Compte, JetonApi
from store.db import ecriture
from web.deps import SessionDep, UtilisateurPage, adresse
from web.erreurs import Refus
from web.securite.sessions import creer_jeton
from web.templating import templates

router = APIRouter(include_in_schema=False)
DUREES = {30: "30 jours", 90: "90 jours", 365: "1 an"}
ACTIFS_MAX = 10


def _session_seulement(u: Utilisateur) -> None:
    """A token cannot mint tokens: a stolen one would otherwise outlive its revocation."""
    if u.csrf is None:
        raise Refus(403, "Gérez vos jetons d'API depuis une session du cockpit", "session_requise")


def _etat(j: JetonApi, maintenant: datetime) -> str:
    if j.revoque:
        return "Révoqué"
    expire = j.expire_le.replace(tzinfo=j.expire_le.tzinfo or UTC) if j.expire_le else None
    return "Expiré" if expire is not None and expire < maintenant else "Actif"


async def _jetons(session: SessionDep, u: Utilisateur) -> list[JetonApi]:
    requete = select(JetonApi).where(JetonApi.compte_id == u.id)
    return list((await session.exec(requete.order_by(col(JetonApi.cree_le).desc()))).all())


async def _page(
    request: Request, session: SessionDep, u: Utilisateur, status: int = 200, **extra: Any
) -> Response:
    maintenant = datetime.now(UTC)
    jetons = [(j, _etat(j, maintenant)) for j in await _jetons(session, u)]
    contexte = {"u": u, "titre": "Mes jetons d'API", "actif": "jetons", "jetons": jetons}
    contexte |= {"durees": DUREES, "erreurs": {}, "nom": ""} | extra
    return templates.TemplateResponse(
        request, "administration/jetons.html", contexte, status_code=status
    )


@router.get("/compte/jetons", response_class=HTMLResponse)
async def lister(request: Request, u: UtilisateurPage, session: SessionDep) -> Response:
    _session_seulement(u)
    return await _page(request, session, u)


@router.post("/compte/jetons", response_class=HTMLResponse)
async def creer(
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    nom: Annotated[str, Form(max_length=200)] = "",
    duree_jours: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    _session_seulement(u)
    nom = nom.strip()
    erreurs = {}
    if not 3 <= len(nom) <= 80:
        erreurs["nom"] = "Nommez le jeton (3 à 80 caractères), par exemple l'outil qui l'utilisera"
    if duree_jours not in {str(d) for d in DUREES}:
        erreurs["duree_jours"] = "Choisissez une durée de validité"
    actifs = [j for j in await _jetons(session, u) if _etat(j, datetime.now(UTC)) == "Actif"]
    if len(actifs) >= ACTIFS_MAX:
        erreurs["nom"] = f"Vous avez déjà {ACTIFS_MAX} jetons actifs : révoquez-en un d'abord"
    if erreurs:
        return await _page(request, session, u, 422, erreurs=erreurs, nom=nom)
    compte = await session.get(Compte, u.id)
    if compte is None:
        raise Refus(404, "Compte introuvable", CodeErreur.COMPTE_INCONNU)
    secret = await creer_jeton(session, compte, nom, int(duree_jours))
    await journaliser(session, u, "ecriture", f"jeton:{nom}", "création", adresse(request))
    return await _page(request, session, u, 201, secret=secret, cree=nom)


@router.post("/compte/jetons/revoquer", response_class=HTMLResponse)
async def revoquer(
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    empreinte: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    _session_seulement(u)
    jeton = await session.get(JetonApi, empreinte)
    if jeton is None or jeton.compte_id != u.id:  # another's token: as if it did not exist
        raise Refus(404, "Jeton introuvable", CodeErreur.JETON_INCONNU)
    await ecriture(session)
    jeton.revoque = True
    session.add(jeton)
    await session.commit()
    await journaliser(session, u, "ecriture", f"jeton:{jeton.nom}", "révocation", adresse(request))
    return await _page(request, session, u, revoque=jeton.nom)
