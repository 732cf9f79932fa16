"""The documents of the parcours page (issue 17, item 3): the list with its download links,
the form that attaches one (the file travels in base64 in an ordinary form field, as the
imports', web/static/app/piece.js), and the documents' lines of the timeline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from core.clock import local_day
from pieces import regles, service
from pieces.service import TAILLE_MAX
from schemas.common import Acteur
from schemas.erreurs import CodeErreur
from schemas.parcours import Categorie, EvenementTimeline, ParcoursState
from schemas.pieces import DemandePiece
from services.audit import journaliser
from services.utilisateur import Utilisateur
from store.pieces import PieceRow
from web.api import pieces as api
from web.cockpit import pages
from web.deps import ParcoursDep, ServicesDep, SessionDep, UtilisateurPage, adresse
from web.erreurs import Refus

router = APIRouter(include_in_schema=False)
CHAMPS = ("type", "nom_fichier", "contenu", "contrat_numero")


def contexte(
    state: ParcoursState, rows: Sequence[PieceRow], u: Utilisateur, **extra: Any
) -> dict[str, Any]:
    return {
        "s": state,
        "u": u,
        "pieces": [service.vue(r) for r in rows],
        "types": list(regles.types().values()),
        "contrats": sorted(api.numeros_de_contrat(state)),
        "formats": regles.formats_acceptes(),
        "extensions": ",".join(f".{f.extension}" for f in regles.formats().values()),
        "taille_max_kio": TAILLE_MAX // 1024,
        **extra,
    }


def dans_la_frise(rows: Sequence[PieceRow]) -> list[EvenementTimeline]:
    """A line of the timeline for each document (they are not events of the workflow)."""
    return [
        EvenementTimeline(
            seq=0,
            enregistre_le=service.depose_le(r),
            le=local_day(service.depose_le(r)),
            categorie=Categorie.DOSSIER,
            code="document_joint",
            libelle=f"Document joint : {service.vue(r).type_libelle} « {r.nom_fichier} »",
            auteur=Acteur.model_validate(r.auteur),
            details={"document": r.id},
        )
        for r in rows
    ]


async def documents(session: AsyncSession, parcours_id: str) -> list[PieceRow]:
    return await service.lister(session, parcours_id)


@router.get("/parcours/{parcours_id}/documents")
async def fragment(
    parcours_id: str,
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    parcours: ParcoursDep,
) -> Response:
    try:
        state = await pages.etat(parcours, u, parcours_id)
    except Refus as err:
        return pages.alerte(request, err.message, status=err.status)
    rows = await documents(session, parcours_id)
    ip = adresse(request)
    await journaliser(session, u, "lecture", f"parcours:{parcours_id}", "cockpit:documents", ip)
    return pages.rendre(request, "parcours/_documents.html", contexte(state, rows, u))


MESSAGES = {
    "type": "Choisissez le type du document",
    "contrat_numero": "Numéro de contrat invalide",
    "nom_fichier": "Nom de fichier trop long (200 caractères au plus)",
}


def _demande(form: dict[str, str]) -> DemandePiece:
    valeurs: dict[str, Any] = {k: form.get(k, "") for k in CHAMPS}
    valeurs["contrat_numero"] = valeurs["contrat_numero"] or None
    if not valeurs["contenu"]:
        valeurs["nom_fichier"] = valeurs["nom_fichier"] or "—"  # the file is what is missing
    try:
        return DemandePiece.model_validate(valeurs)
    except ValidationError as err:
        champ = str(err.errors()[0]["loc"][0])
        message = MESSAGES.get(champ, "Choisissez un fichier")
        raise Refus(
            422, message, CodeErreur.DONNEES_INVALIDES, [{"champ": champ, "message": message}]
        ) from None


@router.post("/parcours/{parcours_id}/documents")
async def joindre(
    parcours_id: str,
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    services: ServicesDep,
    parcours: ParcoursDep,
) -> Response:
    try:
        state = await pages.etat(parcours, u, parcours_id)
    except Refus as err:
        return pages.alerte(request, err.message, status=err.status)
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        row = await api.deposer(session, services, u, state, _demande(form), adresse(request))
    except Refus as err:
        rows = await documents(session, parcours_id)
        ctx = contexte(state, rows, u, erreur=err.message, choisi=form.get("type", ""))
        return pages.rendre(request, "parcours/_documents.html", ctx, status=err.status)
    rows = await documents(session, parcours_id)
    ctx = contexte(state, rows, u, succes=f"« {row.nom_fichier} » est joint au dossier.")
    # the timeline lists the documents: it refreshes with the rest of the page
    return pages.rendre(
        request, "parcours/_documents.html", ctx, declencher={pages.PARCOURS_MODIFIE: True}
    )
