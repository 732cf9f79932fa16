"""Collective sessions (information collective): a référent organises one for their structure;
the référents of the territory register the people they follow; its organiser reads the list
of registered people and records their attendance for all at once (services/sessions_collectives.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from schemas.session_collective import (
    BilanAnnulation,
    BilanPresences,
    DemandeAnnulation,
    DemandeInscription,
    Inscription,
    Inscrit,
    SaisiePresences,
    SessionCollective,
    SessionSaisie,
)
from services import sessions_collectives as service
from services import sessions_collectives_bilans as bilans
from services.utilisateur import Utilisateur
from web.deps import ParcoursDep, SessionDep, UtilisateurApi, adresse
from web.erreurs import Erreur

router = APIRouter(prefix="/api/v1/sessions-collectives", tags=["Sessions collectives"])

ERREURS: dict[int | str, dict[str, Any]] = {
    401: {"model": Erreur, "description": "Authentification requise"},
    403: {"model": Erreur, "description": "Réservé aux référents (ou à l'organisateur)"},
    404: {"model": Erreur, "description": "Session, inscription ou parcours introuvable"},
    422: {"model": Erreur, "description": "Saisie invalide (champ nommé)"},
}


def appel(
    request: Request, u: Utilisateur, session: SessionDep, parcours: ParcoursDep
) -> service.Appel:
    return service.Appel(
        session=session,
        parcours=parcours,
        u=u,
        adresse_publique=request.app.state.services.settings.effective_public_url,
        ip=adresse(request),
    )


@router.get(
    "",
    response_model=list[SessionCollective],
    responses=ERREURS,
    summary="Sessions ouvertes de mon territoire",
)
async def ouvertes(
    request: Request, u: UtilisateurApi, session: SessionDep, parcours: ParcoursDep
) -> list[SessionCollective]:
    return await service.ouvertes(appel(request, u, session, parcours))


@router.post(
    "",
    status_code=201,
    response_model=SessionCollective,
    responses=ERREURS,
    summary="Organiser une session collective",
    description="À un lieu de ma structure (agenda), avec un motif de rules/rendez_vous.yaml.",
)
async def creer(
    saisie: SessionSaisie,
    request: Request,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
) -> SessionCollective:
    return await service.creer(appel(request, u, session, parcours), saisie)


@router.get(
    "/{session_id}/inscrits",
    response_model=list[Inscrit],
    responses=ERREURS,
    summary="Liste des inscrits (prénom, nom) : l'organisateur et sa structure",
)
async def inscrits(
    session_id: str,
    request: Request,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
) -> list[Inscrit]:
    return await service.inscrits(appel(request, u, session, parcours), session_id)


@router.post(
    "/{session_id}/inscriptions",
    status_code=201,
    response_model=Inscription,
    responses=ERREURS
    | {409: {"model": Erreur, "description": "Session complète (sessions suivantes proposées)"}},
    summary="Inscrire une personne que je suis",
    description=(
        "Prend une place (deux inscriptions sur la dernière place : une seule passe, l'autre "
        "reçoit les prochaines sessions du même motif), puis donne au parcours la commande "
        "« convoquer_rdv » : SMS, courriel avec .ics, rappels. Si le parcours la refuse, la "
        "place est rendue."
    ),
)
async def inscrire(
    session_id: str,
    demande: DemandeInscription,
    request: Request,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
) -> Inscription:
    return await service.inscrire(
        appel(request, u, session, parcours), session_id, demande.parcours_id
    )


@router.delete(
    "/{session_id}/inscriptions/{inscription_id}",
    status_code=204,
    responses=ERREURS,
    summary="Désinscrire (par le référent de la personne ou l'organisateur : le rendez-vous "
    "du parcours devient « annulé », la personne est prévenue)",
)
async def desinscrire(
    session_id: str,
    inscription_id: str,
    request: Request,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
) -> Response:
    await service.desinscrire(appel(request, u, session, parcours), session_id, inscription_id)
    return Response(status_code=204)


@router.post(
    "/{session_id}/presences",
    response_model=BilanPresences,
    responses=ERREURS | {409: {"model": Erreur, "description": "Session pas encore tenue"}},
    summary="Noter la présence de tous les inscrits",
    description=(
        "Honoré, excusé ou non honoré pour chaque inscription : gardé avec la session, puis "
        "« renseigner_rdv » dans chaque parcours. Un parcours qui refuse n'arrête pas les "
        "autres ; la réponse dit lesquels et pourquoi."
    ),
)
async def presences(
    session_id: str,
    saisie: SaisiePresences,
    request: Request,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
) -> BilanPresences:
    return await bilans.presences(appel(request, u, session, parcours), session_id, saisie)


@router.post(
    "/{session_id}/annulation",
    response_model=BilanAnnulation,
    responses=ERREURS
    | {409: {"model": Erreur, "description": "Session déjà annulée ou déjà commencée"}},
    summary="Annuler une session (l'organisateur et sa structure)",
    description=(
        "Ferme la session (ses places sont rendues), puis annule le rendez-vous de chaque "
        "inscrit dans son parcours : la personne est prévenue par SMS et courriel avec le "
        "motif, son référent aussi. Un parcours qui refuse n'arrête pas les autres ; la "
        "réponse dit lesquels et pourquoi."
    ),
)
async def annuler(
    session_id: str,
    demande: DemandeAnnulation,
    request: Request,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
) -> BilanAnnulation:
    return await bilans.annuler(appel(request, u, session, parcours), session_id, demande)
