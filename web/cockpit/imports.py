"""The import wizard of the cockpit (`/imports`): upload → column mapping → preview →
confirmation → live progress and report. Every step calls importation.service, as the API
(web/api/imports.py) and the CLI do."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from importation import colonnes, service
from importation.service import ImportRefuse
from schemas.common import Role, Territoire
from schemas.imports import DemandeImport
from services.utilisateur import Utilisateur
from store.comptes import Compte
from store.imports import CorrespondanceRow, ImportRow
from web.api import imports as api
from web.cockpit import pages
from web.deps import ParcoursDep, SessionDep, UtilisateurPage, aujourd_hui

router = APIRouter(include_in_schema=False)
STATUTS = {"apercu": "Aperçu, à confirmer", "en_cours": "En cours", "termine": "Terminé"}


def _contexte(u: Utilisateur, **extra: Any) -> dict[str, Any]:
    return {"u": u, "titre": "Imports", "actif": "imports", "statuts": STATUTS, **extra}


async def _accueil(
    request: Request, u: Utilisateur, session: SessionDep, erreur: str | None = None
) -> Response:
    territoire = api.autoriser(u)
    q = select(ImportRow).order_by(col(ImportRow.cree_le).desc()).limit(20)
    if territoire is not None:
        q = q.where(ImportRow.territoire == territoire.value)
    imports = (await session.exec(q)).all()
    sources = (await session.exec(select(CorrespondanceRow.source))).all()
    referents = await _referents(session, territoire)
    ctx = _contexte(u, imports=imports, sources=sources, referents=referents, erreur=erreur)
    return pages.rendre(request, "imports/page.html", ctx, status=422 if erreur else 200)


async def _referents(session: AsyncSession, territoire: Territoire | None) -> list[Compte]:
    """Who the parcours a list opens may go to: the active référents of the importer's
    territory (every one for the administration); none chosen, they wait for an orientation."""
    q = select(Compte).where(Compte.role == Role.REFERENT.value, col(Compte.actif).is_(True))
    if territoire is not None:
        q = q.where(Compte.territoire == territoire.value)
    return list((await session.exec(q.order_by(col(Compte.nom)))).all())


@router.get("/imports")
async def page(request: Request, u: UtilisateurPage, session: SessionDep) -> Response:
    return await _accueil(request, u, session)


@router.post("/imports")
async def envoyer(request: Request, u: UtilisateurPage, session: SessionDep) -> Response:
    territoire = api.autoriser(u)
    form = await request.form()
    valeurs: dict[str, str | None] = {
        k: str(form.get(k, "")) for k in ("source", "nom_fichier", "contenu")
    }
    valeurs["referent_id"] = str(form.get("referent_id", "")) or None
    try:
        demande = DemandeImport.model_validate(valeurs)
        contenu = api.contenu_du_fichier(demande.contenu)
        imp = await service.preparer(
            session, demande, contenu, auteur=u.acteur, territoire=territoire, jour=aujourd_hui()
        )
    except ValidationError:
        return await _accueil(request, u, session, "Choisissez un fichier et indiquez la source")
    except ImportRefuse as err:
        return await _accueil(request, u, session, err.message)
    return RedirectResponse(f"/imports/{imp.id}", status_code=303)


async def _page_import(
    request: Request,
    u: Utilisateur,
    session: SessionDep,
    imp: ImportRow,
    erreur: str | None = None,
    status: int = 422,
) -> Response:
    ctx = _contexte(
        u,
        imp=imp,
        b=await service.bilan(session, imp),
        lignes=await service.lignes_de(session, imp.id) if imp.statut == "apercu" else [],
        champs=colonnes.CHAMPS,
        actions=service.ACTIONS,
        resultats=service.RESULTATS,
        erreur=erreur,
        titre=f"Import de {imp.nom_fichier}",
    )
    return pages.rendre(request, "imports/import.html", ctx, status=status if erreur else 200)


@router.get("/imports/{import_id}")
async def voir(
    import_id: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    imp = await api.import_visible(session, u, import_id)
    return await _page_import(request, u, session, imp)


@router.post("/imports/{import_id}/correspondance")
async def corriger(
    import_id: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    imp = await api.import_visible(session, u, import_id)
    form = await request.form()
    correspondance = {c.code: str(form.get(c.code, "")) for c in colonnes.CHAMPS}
    try:
        await service.changer_correspondance(session, imp, correspondance, aujourd_hui())
    except ImportRefuse as err:
        return await _page_import(request, u, session, imp, err.message, err.status)
    return RedirectResponse(f"/imports/{imp.id}", status_code=303)


@router.post("/imports/{import_id}/confirmer")
async def confirmer(
    import_id: str, request: Request, u: UtilisateurPage, session: SessionDep, parcours: ParcoursDep
) -> Response:
    imp = await api.import_visible(session, u, import_id)
    try:
        await service.confirmer(session, parcours.client, imp, parcours.task_queue)
    except ImportRefuse as err:
        return await _page_import(request, u, session, imp, err.message, err.status)
    return RedirectResponse(f"/imports/{imp.id}", status_code=303)


@router.get("/imports/{import_id}/progression")
async def progression(
    import_id: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    imp = await api.import_visible(session, u, import_id)
    ctx = _contexte(u, b=await service.bilan(session, imp), resultats=service.RESULTATS)
    return pages.rendre(request, "imports/_progression.html", ctx)


@router.get("/imports/{import_id}/rapport.csv")
async def rapport(import_id: str, u: UtilisateurPage, session: SessionDep) -> Response:
    return await api.rapport(import_id, u, session)
