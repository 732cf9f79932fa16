"""JSON API of the documents of a dossier (issue 17, item 3): attach one (base64 in JSON, as
the imports), list them, download one. Whoever may read the dossier (services/utilisateur.py,
``peut_lire``) may do all three; every one is audited."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from sqlmodel.ext.asyncio.session import AsyncSession

from agendas.courrier import est_une_lettre_d_invitation
from pieces import service
from pieces.regles import types
from pieces.service import PieceRefusee
from pieces.stockage import DocumentAbsent
from schemas.parcours import ParcoursState
from schemas.pieces import DemandePiece, PieceVue
from services import parcours as dossiers
from services.audit import journaliser
from services.utilisateur import Utilisateur
from store.pieces import PieceRow
from web.deps import ParcoursDep, ServicesDep, SessionDep, UtilisateurApi, adresse
from web.equipe.activite import prevenir_le_referent
from web.erreurs import Erreur, Refus
from web.services import Services
from web.vues import contacts_visibles

# Issue 18: the platform's letters carry the person's address (an invitation's, its booking code).
LETTRE_REFUSEE = (
    "Seul le référent qui accompagne la personne télécharge les courriers qui lui sont "
    "adressés : ils portent son adresse (et le code de rendez-vous d'une invitation)"
)

router = APIRouter(prefix="/api/v1/parcours/{parcours_id}/documents", tags=["Parcours"])
ERREURS: dict[int | str, dict[str, Any]] = {
    401: {"model": Erreur, "description": "Authentification requise"},
    403: {"model": Erreur, "description": "Ce compte n'a pas accès à cette API"},
    404: {
        "model": Erreur,
        "description": "Parcours ou document inconnu, ou hors de votre périmètre",
    },
    413: {"model": Erreur, "description": "Requête de plus de 1 Mo"},
    422: {
        "model": Erreur,
        "description": "Type inconnu, fichier vide, trop volumineux (700 Kio au plus) ou d'un "
        "format refusé (lu dans son contenu, pas dans son nom) : champ nommé",
    },
    503: {"model": Erreur, "description": "Moteur de parcours injoignable"},
}


def refus(err: PieceRefusee) -> Refus:
    return Refus(err.status, err.message, err.code, err.erreurs)


def numeros_de_contrat(state: ParcoursState) -> set[int]:
    return {c.numero for c in [*state.contrats_passes, state.contrat] if c is not None}


async def deposer(
    session: AsyncSession,
    services: Services,
    u: Utilisateur,
    state: ParcoursState,
    demande: DemandePiece,
    ip: str | None,
) -> PieceRow:
    """Shared with the cockpit's form (web/cockpit/pieces.py)."""
    try:
        row = await service.deposer(
            session,
            services.coffre(),
            state.parcours_id,
            demande,
            u.acteur,
            numeros_de_contrat(state),
        )
    except PieceRefusee as err:
        raise refus(err) from None
    detail = f"document {row.id} déposé ({row.type}, {row.type_mime}, {row.taille} octets)"
    await journaliser(session, u, "ecriture", f"parcours:{state.parcours_id}", detail, ip)
    quoi = f"un document ({types()[row.type].libelle})" if row.type in types() else "un document"
    await prevenir_le_referent(session, u, state, row.id, quoi, "documents")
    return row


async def telecharger(
    session: AsyncSession,
    services: Services,
    u: Utilisateur,
    parcours_id: str,
    piece_id: str,
    ip: str | None,
) -> Response:
    """The bytes, decrypted, after an audit entry naming the document."""
    try:
        row = await service.charger(session, parcours_id, piece_id)
        octets = await service.lire(services.coffre(), row)
    except PieceRefusee as err:
        raise refus(err) from None
    except DocumentAbsent:
        raise Refus(404, "Document introuvable", "document_inconnu") from None
    await journaliser(session, u, "export", f"parcours:{parcours_id}", f"document {row.id}", ip)
    nom = service.nom_de_telechargement(row)
    ascii_ = nom.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return Response(
        octets,
        media_type=row.type_mime,
        headers={
            "Content-Disposition": f"attachment; filename=\"{ascii_}\"; filename*=UTF-8''{quote(nom)}",
            "Cache-Control": "no-store",
        },
    )


@router.get(
    "", response_model=list[PieceVue], responses=ERREURS, summary="Lister les documents du dossier"
)
async def lister_documents(
    parcours_id: str,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
    request: Request,
) -> list[PieceVue]:
    await dossiers.lire(parcours, u, parcours_id)
    pieces = await service.lister(session, parcours_id)
    await journaliser(
        session, u, "lecture", f"parcours:{parcours_id}", "documents", adresse(request)
    )
    return [service.vue(p) for p in pieces]


@router.post(
    "",
    status_code=201,
    response_model=PieceVue,
    responses=ERREURS,
    summary="Joindre un document au dossier (fichier en base64)",
)
async def joindre_document(
    parcours_id: str,
    demande: DemandePiece,
    u: UtilisateurApi,
    session: SessionDep,
    services: ServicesDep,
    parcours: ParcoursDep,
    request: Request,
) -> PieceVue:
    state = await dossiers.lire(parcours, u, parcours_id)
    row = await deposer(session, services, u, state, demande, adresse(request))
    return service.vue(row)


@router.get(
    "/{piece_id}",
    response_class=Response,
    responses=ERREURS,
    summary="Télécharger un document du dossier",
)
async def telecharger_document(
    parcours_id: str,
    piece_id: str,
    u: UtilisateurApi,
    session: SessionDep,
    services: ServicesDep,
    parcours: ParcoursDep,
    request: Request,
) -> Response:
    state = await dossiers.lire(parcours, u, parcours_id)
    try:
        row = await service.charger(session, parcours_id, piece_id)
    except PieceRefusee as err:
        raise refus(err) from None
    if est_une_lettre_d_invitation(row.type, str(row.auteur.get("id"))) and not contacts_visibles(
        u, state
    ):
        raise Refus(403, LETTRE_REFUSEE, "interdit")
    return await telecharger(session, services, u, parcours_id, piece_id, adresse(request))
